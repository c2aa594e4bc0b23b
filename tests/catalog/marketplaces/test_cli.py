"""`ocop refresh-listings`: every booth's Tiki submissions polled, a summary, exit 1 when something could not
be checked."""
from catalog.marketplaces import accounts
from catalog.marketplaces.push import push_products
from tests.catalog.marketplaces.conftest import TIKI_ID, TIKI_SECRET, ready_product
from tests.catalog.marketplaces.test_push import listing
from tests.factories import make_vendor


def test_refresh_listings_polls_every_booth_and_sums_up(world, standin, transport, runner):
    standin.outcome("KD-1", "approved")
    standin.outcome("KD-2", "rejected", reason="Sai danh mục")
    push_products(world.vendor, "tiki", world.ids, world.user, transport=transport)
    second = make_vendor("HTX Mắm Thử")
    accounts.save_credentials(second, "tiki", TIKI_ID, TIKI_SECRET, None)
    theirs = ready_product(second, "Mắm cá linh", sku="MCL-1")
    standin.outcome("MCL-1", "approved")
    push_products(second, "tiki", [theirs.id], None, transport=transport)

    result = runner.invoke(args=["ocop", "refresh-listings"])

    assert result.exit_code == 0, result.output
    assert ("Checked 4 Tiki submission(s) in 2 booth(s): 2 listed, 1 rejected, 1 still in review, "
            "0 not checked.") in result.stdout
    assert "Sai danh mục" in result.stdout
    assert listing(theirs.id, "tiki").status == "listed"
    again = runner.invoke(args=["ocop", "refresh-listings"])
    assert "Checked 1 Tiki submission(s) in 1 booth(s)" in again.stdout  # only the one still in review


def test_refresh_listings_reports_a_booth_it_cannot_check_and_exits_1(world, standin, transport, runner):
    push_products(world.vendor, "tiki", world.ids[:1], world.user, transport=transport)
    accounts.delete_credentials(world.vendor, "tiki", world.user)

    result = runner.invoke(args=["ocop", "refresh-listings"])

    assert result.exit_code == 1
    assert f"{world.vendor.slug}: Save this booth's credentials for Tiki first." in result.stderr
    assert "1 not checked" in result.stdout
    assert listing(world.ids[0], "tiki").status == "submitted"


def test_refresh_listings_refuses_an_unknown_booth(app, runner):
    result = runner.invoke(args=["ocop", "refresh-listings", "--booth", "khong-co"])
    assert result.exit_code == 1 and "khong-co" in result.output
