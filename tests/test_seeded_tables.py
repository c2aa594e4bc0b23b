"""Tables the migrations seed (the category mapping) start every test as the migration left them, and new
rows can be added after the reset (on PostgreSQL the id sequence must be moved past the seeded ids)."""
import pytest
import sqlalchemy as sa

from catalog.listings.models import CategoryMapping
from storefront.extensions import db


@pytest.mark.parametrize("run", [1, 2])
def test_each_test_starts_with_the_seeded_mapping_and_can_add_to_it(app, run):
    with app.app_context():
        seeded = db.session.scalars(sa.select(CategoryMapping).order_by(CategoryMapping.id)).all()
        assert len(seeded) >= 20 and {m.marketplace for m in seeded} == {"tiki", "sendo", "voso", "postmart"}
        assert not any(m.note == "added by a test" for m in seeded)
        db.session.add(CategoryMapping(marketplace="tiki", group="du_lich", product_set="", category="1",
                                       note="added by a test"))
        db.session.commit()
