"""Pictures and OCOP certificates in the dashboard: uploads checked by content, stored as clean WebP at
every width, reordered and removed; certificate records with their documents."""
import io
import resource
import struct
import zlib
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image

from catalog.models import Certificate, Product
from storefront.extensions import db
from tests.catalog.manage_world import client_as, png_bytes, world  # noqa: F401  (fixtures)


def _product(app, product_id):
    with app.app_context():
        product = db.session.get(Product, product_id)
        pictures = product.images
        state = {"keys": [p.key for p in pictures], "ids": [p.id for p in pictures],
                 "positions": [p.position for p in pictures], "sizes": [(p.width, p.height) for p in pictures],
                 "star": product.ocop_star,
                 "certs": [(c.star, c.decision_no, c.document_key) for c in product.certificates]}
        db.session.remove()
        return state


def _upload(client, mine, *files):
    response = client.post(f"/vendor/{mine['booth']}/products/{mine['product_id']}/images",
                           data={"images": [(io.BytesIO(data), name) for data, name in files]},
                           content_type="multipart/form-data")
    response.request.environ["wsgi.input"].close()  # the body the test client spooled to a temporary file
    return response


def _jpeg_with_exif(size=(3400, 1700)):
    image = Image.new("RGB", size, (10, 120, 40))
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    exif[0x8825] = {1: "N", 2: (10.0, 30.0, 0.0), 3: "E", 4: (106.0, 20.0, 0.0)}  # GPS
    buf = io.BytesIO()
    image.save(buf, "JPEG", exif=exif.tobytes())
    assert Image.open(io.BytesIO(buf.getvalue())).getexif().get(0x0112) == 6
    return buf.getvalue()


def _bomb():
    """A real 1×1 PNG whose header then claims 50000×50000 pixels (CRC fixed so only the size is wrong)."""
    data = bytearray(png_bytes((1, 1)))
    ihdr = 8 + 8  # signature, then length and type of the IHDR chunk
    data[ihdr:ihdr + 8] = struct.pack(">II", 50_000, 50_000)
    data[ihdr + 13:ihdr + 17] = struct.pack(">I", zlib.crc32(bytes(data[12:ihdr + 13])))
    return bytes(data)


def test_an_uploaded_picture_is_stored_as_webp_at_each_width_without_exif_and_served_for_a_year(app, world, client_as):
    mine = world["mine"]
    client = client_as("owner")
    assert _upload(client, mine, (_jpeg_with_exif(), "ảnh.jpg")).status_code == 302
    state = _product(app, mine["product_id"])
    assert len(state["keys"]) == 3 and state["positions"] == [0, 1, 2]
    key, (width, height) = state["keys"][-1], state["sizes"][-1]
    assert (width, height) == (1700, 3400)  # EXIF orientation applied before it was dropped
    folder = Path(app.config["MEDIA_DIR"]) / key
    assert sorted(p.name for p in folder.iterdir()) == ["1600.webp", "400.webp", "800.webp"]
    for path in folder.iterdir():
        with Image.open(path) as stored:
            assert stored.format == "WEBP" and not stored.getexif() and "exif" not in stored.info
    for w in (400, 800, 1600):
        response = client.get(f"/media/{key}/{w}.webp")
        assert response.status_code == 200 and response.mimetype == "image/webp"
        assert "max-age=31536000" in response.headers["Cache-Control"]
        assert "immutable" in response.headers["Cache-Control"]
        assert Image.open(io.BytesIO(response.data)).width == w
        response.close()


@pytest.mark.parametrize("data, name, message", [
    (b"\xff\xd8\xff" + b"0" * (10 * 1024 * 1024), "lon.jpg", "10 MB"),
    (b"Just some text, not a picture\n" * 20, "thu.jpg", "JPEG, PNG or WebP"),
    (png_bytes(fmt="GIF"), "dong.gif", "JPEG, PNG or WebP"),
    (b"", "rong.jpg", ""),
])
def test_files_that_are_not_acceptable_pictures_are_refused(app, world, client_as, data, name, message):
    mine = world["mine"]
    client = client_as("owner")
    client.set_cookie("lang", "en")
    response = _upload(client, mine, (png_bytes(), "good.png"), (data, name))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page
    assert len(_product(app, mine["product_id"])["keys"]) == 2  # nothing added, not even the good one


def test_a_decompression_bomb_is_refused_without_decoding_it(app, world, client_as):
    mine = world["mine"]
    client = client_as("owner")
    client.set_cookie("lang", "en")
    bomb = _bomb()
    with pytest.raises(Image.DecompressionBombError, match="2500000000 pixels"):
        Image.open(io.BytesIO(bomb))  # Pillow reads the claimed 50000×50000 from the header
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    response = _upload(client, mine, (bomb, "bom.png"))
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak
    assert response.status_code == 400 and "40 megapixels" in response.get_data(as_text=True)
    assert grown_kb < 100 * 1024  # decoding 2.5 gigapixels would take gigabytes
    assert len(_product(app, mine["product_id"])["keys"]) == 2


def test_pictures_are_reordered_and_removed(app, world, client_as):
    mine = world["mine"]
    client = client_as("owner")
    base = f"/vendor/{mine['booth']}/products/{mine['product_id']}/images"
    first, second = mine["image_id"], mine["image2_id"]
    assert client.post(f"{base}/{second}/move", data={"direction": "up"}).status_code == 302
    assert _product(app, mine["product_id"])["ids"] == [second, first]
    assert client.post(f"{base}/{second}/move", data={"direction": "up"}).status_code == 302  # already first
    assert _product(app, mine["product_id"])["ids"] == [second, first]
    assert client.post(f"{base}/{second}/move", data={"direction": "sideways"}).status_code == 400
    assert client.post(f"{base}/{second}/delete").status_code == 302
    state = _product(app, mine["product_id"])
    assert state["ids"] == [first] and state["positions"] == [0]


def test_a_product_has_at_most_twelve_pictures(app, world, client_as):
    mine = world["mine"]
    files = [(png_bytes((8, 8), (i, 0, 0)), f"{i}.png") for i in range(11)]
    assert _upload(client_as("owner"), mine, *files).status_code == 400
    assert _upload(client_as("owner"), mine, *files[:10]).status_code == 302
    assert len(_product(app, mine["product_id"])["keys"]) == 12


def _certificate(client, mine, **changes):
    data = {"star": "5", "status": "certified", "decided_on": date.today().isoformat(),
            "decision_no": "77/QĐ-BNN", "issuing_level": "", "issuing_body": "", "score": "92", **changes}
    return client.post(f"/vendor/{mine['booth']}/products/{mine['product_id']}/certificates/new", data=data,
                       content_type="multipart/form-data")


def test_a_certificate_with_its_document_becomes_the_current_one_and_deleting_it_restores_the_previous(
        app, world, client_as):
    mine = world["mine"]
    client = client_as("owner")
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    assert _certificate(client, mine, document=(io.BytesIO(pdf), "quyet-dinh.pdf")).status_code == 302
    state = _product(app, mine["product_id"])
    assert state["star"] == 5 and state["certs"][0][:2] == (5, "77/QĐ-BNN")
    key = state["certs"][0][2]
    assert key.endswith(".pdf") and (Path(app.config["MEDIA_DIR"]) / key).read_bytes() == pdf
    with app.app_context():
        cert = db.session.scalar(sa.select(Certificate).filter_by(decision_no="77/QĐ-BNN"))
        assert (cert.issuing_level, cert.score) == ("central", 92)
        cert_id = cert.id
    url = f"/vendor/{mine['booth']}/products/{mine['product_id']}/certificates/{cert_id}/delete"
    assert client.post(url).status_code == 302
    assert _product(app, mine["product_id"])["star"] == 4


@pytest.mark.parametrize("changes, message", [
    ({"document": (io.BytesIO(b"not a pdf"), "qd.pdf")}, "JPEG, PNG or WebP"),
    ({"decided_on": "2999-01-01"}, "The decision date cannot be in the future."),
    ({"decided_on": "2024-05-01", "decision_no": "1/Của Tôi"}, "already recorded"),
    ({"star": "2"}, ""),
    ({"score": "101"}, "100"),
])
def test_bad_certificates_are_refused_with_a_message(app, world, client_as, changes, message):
    mine = world["mine"]
    client = client_as("owner")
    client.set_cookie("lang", "en")
    response = _certificate(client, mine, **changes)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert len(_product(app, mine["product_id"])["certs"]) == 1


def test_a_certificate_document_is_linked_from_the_product_page_and_downloads_as_an_attachment(
        app, world, client_as):
    mine = world["mine"]
    client = client_as("owner")
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    assert _certificate(client, mine, document=(io.BytesIO(pdf), "quyet-dinh.pdf")).status_code == 302
    with app.app_context():
        cert_id = db.session.scalar(sa.select(Certificate.id).filter_by(decision_no="77/QĐ-BNN"))
    url = f"/vendor/{mine['booth']}/products/{mine['product_id']}/certificates/{cert_id}/document"
    page = client.get(f"/vendor/{mine['booth']}/products/{mine['product_id']}/edit").get_data(as_text=True)
    assert f'href="{url}"' in page
    response = client.get(url)
    assert response.status_code == 200 and response.get_data() == pdf
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["Cache-Control"] == "no-store"
    response.close()


def test_a_certificate_without_a_document_or_whose_file_is_gone_has_nothing_to_download(app, world, client_as):
    mine = world["mine"]
    client = client_as("owner")
    url = f"/vendor/{mine['booth']}/products/{mine['product_id']}/certificates/{mine['certificate_id']}/document"
    with app.app_context():
        cert = db.session.get(Certificate, mine["certificate_id"])
        stored = Path(app.config["MEDIA_DIR"]) / cert.document_key
        cert.document_key = "doc/missing.pdf"
        db.session.commit()
    assert stored.exists() and client.get(url).status_code == 404
    with app.app_context():
        db.session.get(Certificate, mine["certificate_id"]).document_key = None
        db.session.commit()
    assert client.get(url).status_code == 404
    page = client.get(f"/vendor/{mine['booth']}/products/{mine['product_id']}/edit").get_data(as_text=True)
    assert url not in page
