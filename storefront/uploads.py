"""Checking uploaded files by their content, never by their name.

Images: JPEG, PNG or WebP that Pillow can fully decode, at most 10 MB and 40 megapixels (decompression
bombs refused before decoding), re-encoded from pixels so EXIF and other metadata are gone.
Documents: PDF (checked by its header and trailer) or one of those images."""
import io
import warnings

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}


class UploadError(ValueError):
    """A file we refuse, with a message for the person who sent it."""


def read_limited(file, limit=MAX_BYTES):
    """The bytes of an uploaded file (a FileStorage or file object), refusing more than `limit`."""
    stream = getattr(file, "stream", file)
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise UploadError(_l("The file is larger than %(mb)s MB.", mb=limit // (1024 * 1024)))
    if not data:
        raise UploadError(_l("The file is empty."))
    return data


def load_image(file, min_side=1):
    """A clean RGB(A) PIL image from an upload, or UploadError. Orientation from EXIF is applied, then
    every piece of metadata is dropped."""
    data = read_limited(file)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            if probe.format not in IMAGE_FORMATS:
                raise UploadError(_l("Only JPEG, PNG or WebP pictures are accepted."))
            if probe.width * probe.height > MAX_PIXELS:
                raise UploadError(_l("The picture is larger than 40 megapixels."))
            probe.load()
    except UploadError:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise UploadError(_l("The picture is larger than 40 megapixels.")) from None
    except Exception:  # Pillow raises many kinds for broken files: all mean "not a picture we can read"
        raise UploadError(_l("This file is not a picture we can read (JPEG, PNG or WebP).")) from None
    image = ImageOps.exif_transpose(probe)
    if min(image.size) < min_side:
        raise UploadError(_l("The picture must be at least %(px)s pixels on each side.", px=min_side))
    clean = Image.new(image.mode if image.mode in ("RGB", "RGBA") else "RGB", image.size)
    clean.paste(image.convert(clean.mode))
    return clean


DOCUMENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg"}  # what check_document keeps, by extension


def check_document(file):
    """(bytes, content type, extension) of an uploaded PDF or picture, or UploadError."""
    data = read_limited(file)
    if data.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-2048:]:
            raise UploadError(_l("This PDF is incomplete or damaged."))
        return data, "application/pdf", "pdf"
    image = load_image(io.BytesIO(data))
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=88)
    return buffer.getvalue(), "image/jpeg", "jpg"
