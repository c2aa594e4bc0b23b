"""export_listings and `flask ocop export`: what is exported, what is recorded, exit codes, the summary, files
written whole or not at all; readiness_for in a bounded number of queries."""
import io
import json

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from catalog.exporters import EXPORTERS
from catalog.exporters.service import ExportError, export_listings, readiness_for
from catalog.listings.models import Listing
from catalog.models import Product
from storefront.extensions import db
from tests.catalog.exporters.catalogue import build_catalogue
from tests.factories import make_product, make_vendor
from vendors.models import Vendor


def listings(app):
    with app.app_context():
        rows = db.session.execute(sa.select(Product.slug, Listing.marketplace, Listing.status, Listing.source)
                                  .join(Listing.product).order_by(Product.slug))
        return [tuple(r) for r in rows]


def test_an_export_writes_the_ready_products_says_why_others_are_blocked_and_records_the_exported(app):
    with app.app_context():
        ids = build_catalogue()
        out = io.BytesIO()
        summary = export_listings("tiki", out)
    names = [json.loads(line)["name"] for line in out.getvalue().splitlines()]
    assert summary.exported == len(names) == 2 and names[0] == "Kẹo dừa sữa Thanh Bình"
    assert [(pid, name, [b.code for b in bl]) for pid, name, bl in summary.blocked] == [
        (ids["nuoc-mam-ca-linh"], "Nước mắm cá linh", ["no_certificate", "no_shelf_life"]),
        (ids["banh-tet-la-cam"], "Bánh tét lá cẩm", ["picture_small"]),
        (ids["homestay-cu-lao"], "Homestay cù lao Tân Quy", ["service"]),
    ]
    assert summary.top_reasons() == [("no_certificate", 1), ("no_shelf_life", 1), ("picture_small", 1),
                                     ("service", 1)]
    assert listings(app) == [("gio-luc-binh", "tiki", "exported", "export"), ("keo-dua-sua", "tiki", "exported", "export")]


def test_a_booth_export_includes_its_unpublished_products_and_nothing_of_other_booths(app):
    with app.app_context():
        build_catalogue()
        booth = db.session.scalar(sa.select(Vendor).where(Vendor.slug == "htx-thanh-binh"))
        db.session.execute(sa.update(Product).where(Product.slug == "ruou-nep-chua-ban")
                           .values(shelf_life_days=365, length_cm=8.0))
        db.session.commit()
        out = io.BytesIO()
        summary = export_listings("sendo", out, booth=booth)
    skus = [json.loads(line)["sku"] for line in out.getvalue().splitlines()]
    assert skus == ["KD-01", "nuoc-mam-ca-linh", "-GIO-02", "ruou-nep-chua-ban"]
    assert summary.exported == 4 and len(summary.blocked) == 2


@pytest.mark.parametrize("marketplace, fmt, message", [
    ("amazon", None, "Unknown marketplace “amazon”"),
    ("tiki", "csv", "Tiki files are jsonl, not “csv”"),
    ("voso", "jsonl", "Voso files are xlsx, csv, not “jsonl”"),
])
def test_an_export_that_cannot_start_says_why_and_records_nothing(app, marketplace, fmt, message):
    with app.test_request_context(), force_locale("en"), pytest.raises(ExportError) as error:
        export_listings(marketplace, io.BytesIO(), fmt=fmt)
    assert message in str(error.value)


def test_a_disabled_exporter_cannot_be_used(build_app):
    other = build_app(EXPORTERS=["tiki", "sendo"])
    with other.app_context(), pytest.raises(ExportError):
        export_listings("voso", io.BytesIO())


def test_readiness_runs_a_bounded_number_of_queries_whatever_the_number_of_products(app, count_queries):
    with app.app_context():
        vendor = make_vendor()
        ids = [make_product(vendor, image=True, star=3).id for _ in range(3)]
        with count_queries() as few:
            assert set(readiness_for(product_ids=ids)) == set(ids)
        ids += [make_product(vendor, image=True, star=3).id for _ in range(12)]
        vendor_id = vendor.id
        with count_queries() as many:
            result = readiness_for(booth_id=vendor_id, keys=["tiki", "voso"])
    assert few.count == many.count == 4  # the mappings, then products, images, certificates
    assert set(result) == set(ids) and all(set(r) == {"tiki", "voso"} for r in result.values())
    assert [b.code for b in result[ids[0]]["tiki"]] == ["no_shelf_life", "no_weight", "no_dimensions"]


# -- the command -------------------------------------------------------------------------------------------

def export(runner, *args):
    return runner.invoke(args=["ocop", "export", *args, "--lang", "en"])


def test_the_command_writes_the_file_prints_a_summary_and_exits_0(app, runner, tmp_path):
    with app.app_context():
        build_catalogue()
    target = tmp_path / "voso.xlsx"
    result = export(runner, "voso", "--out", str(target))
    assert result.exit_code == 0, result.output
    assert f"Voso: 2 products exported to {target}" in result.stdout
    assert ("3 products blocked; most common reasons: no shelf life (1), no valid OCOP certificate (1), "
            "picture too small (1), a service, not goods (1).") in result.stdout
    assert target.read_bytes().startswith(b"PK")  # the format from the file's extension
    assert [p.name for p in tmp_path.iterdir()] == ["voso.xlsx"]  # no temporary file left behind
    assert len(listings(app)) == 2


def test_the_summary_is_in_vietnamese_by_default(app, runner, tmp_path):
    with app.app_context():
        build_catalogue()
    result = runner.invoke(args=["ocop", "export", "sendo", "--out", str(tmp_path / "s.jsonl"),
                                 "--booth", "htx-thanh-binh"])
    assert result.exit_code == 0, result.output
    assert "Sendo: đã xuất 4 sản phẩm vào" in result.stdout
    assert "sản phẩm bị chặn; lý do thường gặp nhất: ảnh quá nhỏ (1)" in result.stdout


@pytest.mark.parametrize("args, message", [
    (["amazon"], "Unknown marketplace “amazon”: choose one of tiki, sendo, voso, postmart."),
    (["tiki", "--booth", "no-such-booth"], "No booth has the slug “no-such-booth”."),
    (["tiki", "--format", "xlsx"], "Tiki files are jsonl, not “xlsx”."),
])
def test_the_command_exits_non_zero_with_a_clear_message(app, runner, tmp_path, args, message):
    target = tmp_path / "out.jsonl"
    result = export(runner, *args[:1], "--out", str(target), *args[1:])
    assert result.exit_code == 1
    assert message in result.stderr
    assert not target.exists()


def test_an_unwritable_path_exits_non_zero_and_leaves_nothing(app, runner, tmp_path):
    result = export(runner, "tiki", "--out", str(tmp_path / "missing-folder" / "tiki.jsonl"))
    assert result.exit_code == 1
    assert "Cannot write" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_failure_half_way_leaves_the_previous_file_untouched_and_no_partial_file(app, runner, tmp_path,
                                                                                   monkeypatch):
    with app.app_context():
        build_catalogue()
    target = tmp_path / "tiki.jsonl"
    target.write_text("the export of yesterday\n")

    def broken_render(self, items, out, fmt=None):
        out.write(b'{"half": ')
        next(iter(items))
        raise OSError("disk full")

    monkeypatch.setattr(EXPORTERS["tiki"], "render", broken_render)
    result = export(runner, "tiki", "--out", str(target))
    assert result.exit_code == 1
    assert f"Cannot write {target}: disk full" in result.stderr
    assert target.read_text() == "the export of yesterday\n"
    assert [p.name for p in tmp_path.iterdir()] == ["tiki.jsonl"]
    assert listings(app) == []  # nothing recorded as exported
