"""Image storage behind one adapter. Images are stored once, as WebP at each width in WIDTHS that is not
larger than the original, under a content-hash key: MEDIA_DIR/<key>/<width>.webp."""
import hashlib
import io
from pathlib import Path

from flask import current_app, url_for
from PIL import Image

WIDTHS = (400, 800, 1600)


class LocalStorage:
    def __init__(self, root):
        self.root = Path(root)

    def path(self, key, width):
        return self.root / key / f"{width}.webp"

    def save_image(self, image, quality=80):
        """Store `image` (a PIL image) and return (key, width, height). Saving the same pixels twice is free."""
        image = image.convert("RGB")
        key = "img/" + hashlib.sha256(image.tobytes() + repr(image.size).encode()).hexdigest()[:24]
        folder = self.root / key
        if not folder.exists():
            folder.mkdir(parents=True, exist_ok=True)
            for width in self.widths_for(image.width):
                scaled = image if width >= image.width else image.resize(
                    (width, round(image.height * width / image.width)), Image.LANCZOS)
                buf = io.BytesIO()
                scaled.save(buf, "WEBP", quality=quality, method=4)
                tmp = folder / f".{width}.tmp"
                tmp.write_bytes(buf.getvalue())
                tmp.replace(folder / f"{width}.webp")
        return key, image.width, image.height

    def save_document(self, data, extension):
        """Store document bytes under a content-hash key ('doc/<hash>.<ext>') and return the key."""
        key = f"doc/{hashlib.sha256(data).hexdigest()[:32]}.{extension}"
        path = self.root / key
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(data)
            tmp.replace(path)
        return key

    def document_path(self, key):
        path = (self.root / key).resolve()
        if not key.startswith("doc/") or self.root.resolve() not in path.parents:
            return None
        return path

    @staticmethod
    def widths_for(original_width):
        widths = [w for w in WIDTHS if w <= original_width]
        return widths or [original_width]


def storage():
    return current_app.extensions["media_storage"]


def init_app(app):
    root = app.config.get("MEDIA_DIR") or str(Path(app.instance_path) / "media")
    app.config["MEDIA_DIR"] = root
    app.extensions["media_storage"] = LocalStorage(root)


def image_url(key, width=800, original_width=None, external=False):
    """URL of the stored variant closest to `width` (never wider than what was stored)."""
    if original_width is not None:
        candidates = LocalStorage.widths_for(original_width)
        width = min(candidates, key=lambda w: (abs(w - width), -w))
    return url_for("storefront.media", key=key, width=width, _external=external)


def srcset(key, original_width):
    return ", ".join(f"{image_url(key, w, original_width)} {w}w" for w in LocalStorage.widths_for(original_width))
