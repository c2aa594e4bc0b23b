"""The ledger screens: a booth's statement with its balance, the staff's view of every booth with payouts
and commission rates, and the CSV exports (BOM, Vietnamese intact, no formula runs in a spreadsheet)."""
import csv
import io

from orders import fulfilment, ledger, statements
from orders.models import BoothOrder, BoothTerms, LedgerEntry, Order
from storefront.extensions import db
from storefront.models import User
from tests.orders.test_booth_orders import client_for, place, shop, walk_to_delivered  # noqa: F401


def _balance(app, vendor_id):
    with app.app_context():
        value = ledger.balance(vendor_id)
        db.session.remove()
    return value


def _paid_transfer(app, lines, n=1):
    order = place(app, lines, method="vietqr", n=n)
    with app.test_request_context():
        fulfilment.transfer_received(db.session.get(Order, order["id"]), None)
        db.session.remove()
    return order


def test_the_balance_is_right_after_cod_delivery_a_paid_transfer_and_a_payout(app, shop):
    cash = place(app, [(shop["keo"], 2)])  # 100.000 + 30.000 shipping, 5 % of 100.000 commission
    walk_to_delivered(client_for(app, shop, "owner_a"), shop, cash[shop["a_id"]])
    booth = client_for(app, shop, "owner_a")
    html = booth.get(f"/vendor/{shop['a']}/ledger").get_data(as_text=True)
    assert "-5.000\u00a0₫" in html and "Gian hàng còn nợ sàn 5.000\u00a0₫" in html
    assert "Tiền mặt thu khi giao hàng (COD)" in html and "Phí hoa hồng cho sàn" in html
    _paid_transfer(app, [(shop["keo"], 4)], n=2)  # 200.000 + 30.000, commission 10.000
    assert _balance(app, shop["a_id"]) == -5_000 + 220_000
    staff = client_for(app, shop, "staff")
    paid = staff.post(f"/staff/ledger/{shop['a_id']}/payouts",
                      data={"amount": "200.000", "note": "CK Vietcombank 12/5"})
    assert paid.status_code == 302
    assert _balance(app, shop["a_id"]) == 15_000
    html = booth.get(f"/vendor/{shop['a']}/ledger").get_data(as_text=True)
    assert "Sàn còn nợ gian hàng 15.000\u00a0₫" in html
    assert "Sàn đã chuyển tiền cho gian hàng" in html and "CK Vietcombank 12/5" in html
    table = html.split('<table class="dash-table">')[1]
    assert table.index("CK Vietcombank") < table.index(cash["code"])  # newest first
    listing = staff.get("/staff/ledger").get_data(as_text=True)
    row = listing.split("HTX Dừa Bến Tre")[1].split("</tr>")[0]
    assert "15.000\u00a0₫" in row and "335.000\u00a0₫" not in row
    show = staff.get(f"/staff/ledger/{shop['a_id']}").get_data(as_text=True)
    assert "Sàn còn nợ gian hàng 15.000\u00a0₫" in show


def test_the_running_balance_carries_across_pages(ctx):
    from tests.factories import make_vendor

    vendor = make_vendor()
    staff = User(email="s@example.vn", role="staff")
    db.session.add(staff)
    db.session.commit()
    for amount in (100, 200, 300, 400, 500):
        db.session.add(LedgerEntry(vendor_id=vendor.id, kind="sale", amount_vnd=amount))
        db.session.commit()
    ledger.record_payout(vendor.id, 50, staff)
    rows = []
    for page in (1, 2, 3):
        found, count, sums = statements.statement_page(vendor.id, page, per_page=2)
        rows += found
    assert count == 6 and sums["balance"] == 1_450 and sums["received"] == 50
    assert [r[3] for r in rows] == [1_450, 1_500, 1_000, 600, 300, 100]
    assert [r[0].amount_vnd for r in rows] == [-50, 500, 400, 300, 200, 100]


def test_the_statements_run_the_same_few_queries_for_1_and_20_entries(app, shop, count_queries):
    booth, staff = client_for(app, shop, "owner_a"), client_for(app, shop, "staff")
    counts = []
    for extra in (1, 19):
        with app.app_context():
            for n in range(extra):
                db.session.add(LedgerEntry(vendor_id=shop["a_id"], kind="sale", amount_vnd=1000 + n))
            db.session.commit()
        found = []
        for client, url in ((booth, f"/vendor/{shop['a']}/ledger"), (staff, f"/staff/ledger/{shop['a_id']}"),
                            (staff, "/staff/ledger")):
            client.get(url)
            with count_queries() as q:
                assert client.get(url).status_code == 200
            found.append(q.count)
        counts.append(found)
    assert counts[0] == counts[1] and max(counts[0]) <= 10, counts


def test_booth_members_see_only_their_own_statement(app, shop):
    _paid_transfer(app, [(shop["keo"], 1), (shop["che"], 1)])
    member_b = client_for(app, shop, "member_b")
    assert member_b.get(f"/vendor/{shop['a']}/ledger").status_code == 404
    assert member_b.get(f"/vendor/{shop['a']}/ledger.csv").status_code == 404
    own = member_b.get(f"/vendor/{shop['b']}/ledger.csv")
    text = own.get_data().decode("utf-8-sig")
    own.close()
    assert "HTX Chè Tân Cương" in text and "HTX Dừa Bến Tre" not in text


def test_bad_payouts_are_refused_with_the_input_kept(app, shop):
    client = client_for(app, shop, "staff")
    for amount in ("", "0", "-5", "abc", "1,5", str(10**30), "100.000.000.001"):
        response = client.post(f"/staff/ledger/{shop['a_id']}/payouts", data={"amount": amount, "note": "thử"})
        html = response.get_data(as_text=True)
        assert response.status_code == 400 and 'id="amount-errors"' in html, amount
        assert f'value="{amount}"' in html or amount == "", amount
    assert _balance(app, shop["a_id"]) == 0


def test_a_commission_rate_set_by_staff_applies_to_new_orders(app, shop):
    staff = client_for(app, shop, "staff")
    assert staff.post(f"/staff/ledger/{shop['a_id']}/commission", data={"commission": "7,5"}).status_code == 302
    with app.app_context():
        assert db.session.get(BoothTerms, shop["a_id"]).commission_bp == 750
    assert "7,5\u00a0%" in staff.get("/staff/ledger").get_data(as_text=True)
    page = staff.get(f"/staff/ledger/{shop['a_id']}").get_data(as_text=True)
    assert 'value="7,5"' in page
    order = place(app, [(shop["keo"], 2), (shop["che"], 1)])
    with app.app_context():
        assert db.session.get(BoothOrder, order[shop["a_id"]]).commission_bp == 750
        assert db.session.get(BoothOrder, order[shop["b_id"]]).commission_bp == 500
    assert staff.post(f"/staff/ledger/{shop['a_id']}/commission", data={"commission": ""}).status_code == 302
    with app.app_context():
        assert db.session.get(BoothTerms, shop["a_id"]).commission_bp is None


def test_commission_rates_are_read_and_shown_the_vietnamese_way(app, shop):
    staff = client_for(app, shop, "staff")
    for typed, bp, shown in [("10", 1000, "10"), ("0", 0, "0"), ("12,25 %", 1225, "12,25"), ("5.5", 550, "5,5"),
                             ("100", 10_000, "100")]:
        assert staff.post(f"/staff/ledger/{shop['a_id']}/commission", data={"commission": typed}).status_code == 302
        with app.app_context():
            assert db.session.get(BoothTerms, shop["a_id"]).commission_bp == bp
            db.session.remove()
        assert f'value="{shown}"' in staff.get(f"/staff/ledger/{shop['a_id']}").get_data(as_text=True)
        assert f"<strong>{shown}\u00a0%</strong>" in staff.get("/staff/ledger").get_data(as_text=True)


def test_bad_commission_rates_are_refused_with_the_input_kept(app, shop):
    client = client_for(app, shop, "staff")
    for rate in ("abc", "101", "-1", "5,555", "1e400", "NaN", "Infinity", "5.5.5"):
        response = client.post(f"/staff/ledger/{shop['a_id']}/commission", data={"commission": rate})
        html = response.get_data(as_text=True)
        assert response.status_code == 400 and 'id="commission-errors"' in html and f'value="{rate}"' in html, rate
    with app.app_context():
        assert db.session.get(BoothTerms, shop["a_id"]) is None


def _csv(response):
    raw = response.get_data()
    response.close()
    return raw, list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_the_staff_csv_has_a_bom_keeps_vietnamese_and_neutralises_formulas(app, shop):
    _paid_transfer(app, [(shop["keo"], 1), (shop["che"], 1)])
    staff = client_for(app, shop, "staff")
    for note in ("=HYPERLINK(\"http://evil.example\",\"Bấm\")", "+84 chuyển khoản", "@SUM(1+1)", "-2+3", "Trả đợt 1"):
        staff.post(f"/staff/ledger/{shop['b_id']}/payouts", data={"amount": "1.000", "note": note})
    response = staff.get("/staff/ledger.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    raw, rows = _csv(response)
    assert raw.startswith(b"\xef\xbb\xbf")
    header, body = rows[0], rows[1:]
    assert header[0] == "Ngày giờ (giờ Việt Nam)" and header[-1] == "Số tiền (đồng)"
    assert {r[1] for r in body} == {"HTX Dừa Bến Tre", "HTX Chè Tân Cương"}
    notes = [r[5] for r in body if r[3] == "payout"]
    assert notes == ["'=HYPERLINK(\"http://evil.example\",\"Bấm\")", "'+84 chuyển khoản", "'@SUM(1+1)", "'-2+3",
                     "Trả đợt 1"]
    assert all(not cell.startswith(("=", "+", "-", "@")) for r in body for cell in r[:6])
    assert "Tiền hàng" in {r[2] for r in body}
    assert [int(r[6]) for r in body if r[3] == "payout"] == [-1000] * 5
    only_b = staff.get(f"/staff/ledger.csv?booth={shop['b_id']}")
    _, rows_b = _csv(only_b)
    assert {r[1] for r in rows_b[1:]} == {"HTX Chè Tân Cương"}
    for booth in ("999999", "²", "9" * 30):
        assert staff.get(f"/staff/ledger.csv?booth={booth}").status_code == 404, booth


def test_a_booth_named_like_a_formula_is_neutralised_too(app, shop):
    with app.app_context():
        from vendors.models import Vendor

        db.session.get(Vendor, shop["a_id"]).name = "=cmd|' /C calc'!A0"
        db.session.commit()
    _paid_transfer(app, [(shop["keo"], 1)])
    _, rows = _csv(client_for(app, shop, "staff").get("/staff/ledger.csv"))
    assert {r[1] for r in rows[1:]} == {"'=cmd|' /C calc'!A0"}


def test_the_staff_ledger_list_and_statement_need_staff(app, shop):
    for role in ("owner_a", "shopper"):
        client = client_for(app, shop, role)
        assert client.get("/staff/ledger").status_code == 403
        assert client.get("/staff/ledger.csv").status_code == 403
        assert client.post(f"/staff/ledger/{shop['a_id']}/payouts", data={"amount": "1.000"}).status_code == 403
    assert _balance(app, shop["a_id"]) == 0
