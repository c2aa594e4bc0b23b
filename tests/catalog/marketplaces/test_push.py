"""Pushing products to Tiki and Sendo through the stand-in: what is sent, what the listing records, and
what is never sent."""
import sqlalchemy as sa

from catalog.exporters.tiki import TikiExporter
from catalog.listings.models import Listing
from catalog.marketplaces.http import Transport
from catalog.marketplaces.push import push_products, refresh_submissions
from storefront.extensions import db
from storefront.models import User
from tests.catalog.marketplaces.conftest import ready_product
from vendors.models import AuditEntry


def listing(product_id, marketplace):
    return db.session.scalar(sa.select(Listing).where(Listing.product_id == product_id,
                                                      Listing.marketplace == marketplace))


def test_push_to_tiki_submits_each_product_and_records_its_track_id(world, standin, transport):
    results = push_products(world.vendor, "tiki", world.ids, world.user, transport=transport)

    assert [(r.product_id, r.ok, r.status) for r in results] == [(i, True, "submitted") for i in world.ids]
    sent = standin.requests_to("/integration/v2.1/requests")
    assert [r.body["variants"][0]["sku"] for r in sent] == ["KD-1", "KD-2", "KD-3"]
    assert all(r.headers["Authorization"].startswith("Bearer ") for r in sent)
    row = listing(world.ids[0], "tiki")
    assert row.track_id in standin.tiki_requests
    assert (row.source, row.reason, row.updated_by_id) == ("push", "", world.user.id)
    assert row.submitted_at is not None


def test_push_to_sendo_records_sendos_product_id(world, standin, transport):
    (result,) = push_products(world.vendor, "sendo", [world.ids[0]], world.user, transport=transport)

    assert (result.ok, result.status) == (True, "submitted")
    (sent,) = standin.requests_to("/api/partner/product")
    assert sent.body["id"] == 0 and sent.body["special_price"] == 45_000 and sent.body["price"] == 50_000
    row = listing(world.ids[0], "sendo")
    assert standin.sendo_products[int(row.external_id)]["status"] == 1  # awaiting Sendo's approval
    assert row.track_id is None


def test_a_refused_product_is_recorded_rejected_with_the_marketplaces_reason(world, standin, transport):
    standin.refuse("KD-2", "Hình ảnh có chứa số điện thoại")

    results = push_products(world.vendor, "tiki", world.ids, world.user, transport=transport)

    assert [r.ok for r in results] == [True, False, True]  # one refusal does not stop the others
    assert "Hình ảnh có chứa số điện thoại" in results[1].message
    row = listing(world.ids[1], "tiki")
    assert (row.status, row.reason, row.track_id) == ("rejected", "Hình ảnh có chứa số điện thoại", None)


def test_sendo_refusals_are_read_whether_sendo_answers_400_or_200(world, standin, transport):
    standin.refuse("KD-1", "Mã SKU đã tồn tại")
    standin.sendo_errors_as_200 = True
    standin.refuse("KD-2", "Danh mục không hợp lệ")

    results = push_products(world.vendor, "sendo", world.ids[:2], world.user, transport=transport)

    assert [(r.ok, r.status) for r in results] == [(False, "rejected"), (False, "rejected")]
    assert listing(world.ids[1], "sendo").reason == "Danh mục không hợp lệ"


def test_blocked_products_are_not_sent_and_say_why(world, standin, transport):
    heavy = ready_product(world.vendor, "Kẹo dừa chưa cân", weight_g=None, sku="KD-9")

    (result,) = push_products(world.vendor, "tiki", [heavy.id], world.user, transport=transport)

    assert (result.ok, result.status) == (False, "not_listed")
    assert result.message.startswith("Chưa gửi: ") and "khối lượng" in result.message  # what to fix, in Vietnamese
    assert standin.requests_to("/integration/v2.1/requests") == []
    assert listing(heavy.id, "tiki") is None


def test_another_booths_products_are_never_sent(world, standin, transport):
    results = push_products(world.vendor, "tiki", [world.foreign.id, 987654, "x"], world.user, transport=transport)

    assert [(r.product_id, r.ok, r.status) for r in results] == [(world.foreign.id, False, None),
                                                                 (987654, False, None)]
    assert standin.requests_to("/integration/v2.1/requests") == []
    assert listing(world.foreign.id, "tiki") is None


def test_a_submitted_product_is_not_sent_twice(world, standin, transport):
    push_products(world.vendor, "tiki", world.ids[:1], world.user, transport=transport)

    (again,) = push_products(world.vendor, "tiki", world.ids[:1], world.user, transport=transport)

    assert (again.ok, again.status) == (False, "submitted")
    assert len(standin.requests_to("/integration/v2.1/requests")) == 1


def test_refresh_turns_approved_submissions_into_listings_and_records_rejections(world, standin, transport):
    standin.outcome("KD-2", "processing", "rejected", reason="Thiếu giấy chứng nhận ATTP")
    standin.outcome("KD-3", "processing", "md_awaiting_approve")
    push_products(world.vendor, "tiki", world.ids, world.user, transport=transport)

    first = refresh_submissions(world.vendor, "tiki", transport=transport)
    assert [r.status for r in first] == ["submitted"] * 3  # every request is still processing
    second = refresh_submissions(world.vendor, "tiki", transport=transport)

    assert [(r.ok, r.status) for r in second] == [(True, "listed"), (False, "rejected"), (True, "submitted")]
    listed, rejected = listing(world.ids[0], "tiki"), listing(world.ids[1], "tiki")
    assert listed.external_id and listed.url == f"https://tiki.vn/p{listed.external_id}.html"
    assert listed.listed_at is not None
    assert (rejected.status, rejected.reason) == ("rejected", "Thiếu giấy chứng nhận ATTP")
    assert refresh_submissions(world.vendor, "tiki", transport=transport)[0].product_id == world.ids[2]


def test_a_defect_with_one_product_does_not_cost_the_others(world, standin, transport, monkeypatch, caplog):
    payload = TikiExporter.payload

    def failing(self, item):
        if item.sku == "KD-2":
            raise ValueError("unexpected data")
        return payload(self, item)

    monkeypatch.setattr(TikiExporter, "payload", failing)
    results = push_products(world.vendor, "tiki", world.ids, world.user, transport=transport)

    assert [r.ok for r in results] == [True, False, True]
    assert listing(world.ids[1], "tiki") is None
    assert "pushing product" in caplog.text  # logged with its traceback for the developers


def test_without_a_transport_the_configured_one_is_used_and_closed(world, standin):
    (result,) = push_products(world.vendor, "sendo", world.ids[:1], world.user)
    assert result.ok


def test_the_transport_reads_its_settings_from_config():
    transport = Transport.from_config({"MARKETPLACE_TIMEOUT": 3, "MARKETPLACE_ATTEMPTS": 2})
    assert (transport.timeout, transport.attempts, transport.backoff, transport.max_wait) == (3.0, 2, 0.5, 30.0)
    transport.close()


def test_a_push_that_runs_out_of_time_sends_nothing_more_and_says_so(world, standin, transport, monkeypatch, app):
    monkeypatch.setitem(app.config, "MARKETPLACE_PUSH_BUDGET", 0)

    results = push_products(world.vendor, "tiki", world.ids, world.user, transport=transport)

    message = "Chưa gửi: việc gửi đang quá lâu; hãy gửi lại phần còn lại sau ít phút."
    assert [r.message for r in results] == [message] * 3
    assert standin.received == []


def test_staff_pushing_for_an_assisted_booth_is_audited(world, standin, transport):
    staff = User(email="can-bo-day-san@example.vn", role="staff")
    db.session.add(staff)
    db.session.commit()

    push_products(world.vendor, "tiki", world.ids[:2], staff, transport=transport)
    push_products(world.vendor, "tiki", world.ids[2:], world.user, transport=transport)  # a member: not logged

    (entry,) = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "marketplace.push"))
    assert entry.after == {"marketplace": "tiki", "products": world.ids[:2]}
