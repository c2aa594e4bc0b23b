"""The staff-editable category mapping: which category of each marketplace an OCOP group (or one product set
within it) goes to. Tiki, Sendo and Postmart take an integer category id; Voso a category path. Each public
function here is one unit of work."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from catalog.listings.models import MARKETPLACES, CategoryMapping
from catalog.listings.services import ListingError, check_marketplace
from catalog.ocop import GROUPS, PRODUCT_SETS, SET_GROUP
from storefront.extensions import db
from storefront.text import nfc

PATH_MARKETPLACES = frozenset({"voso"})  # the others take an integer id
CATEGORY_MAX = 300
NOTE_MAX = 300
ID_DIGITS = 12


def list_mappings():
    """{marketplace: [CategoryMapping]} in MARKETPLACES order, rows by group then product set (1 query)."""
    rows = db.session.scalars(sa.select(CategoryMapping).order_by(CategoryMapping.id)).all()
    groups = {code: i for i, code in enumerate(GROUPS.codes)}
    found = {m: [] for m in MARKETPLACES}
    for row in sorted(rows, key=lambda r: (groups.get(r.group, 99), r.product_set, r.id)):
        found.setdefault(row.marketplace, []).append(row)
    return found


def get_mapping(mapping_id):
    return db.session.get(CategoryMapping, mapping_id)


def _clean(marketplace, group, product_set, category, note):
    """The values checked and normalised; raises ListingError with the field at fault."""
    check_marketplace(marketplace)
    if group not in GROUPS:
        raise ListingError(_l("Choose an OCOP group."), field="group")
    product_set = product_set or ""
    if product_set and (product_set not in PRODUCT_SETS or SET_GROUP.get(product_set) != group):
        raise ListingError(_l("This product set is not part of the chosen group."), field="product_set")
    category = nfc(category or "").strip()
    if marketplace in PATH_MARKETPLACES:
        if not category:
            raise ListingError(_l("Enter the category path, such as “Thực phẩm > Đặc sản vùng miền”."),
                               field="category")
        if len(category) > CATEGORY_MAX:
            raise ListingError(_l("The category path is longer than %(max)s characters."), field="category",
                               max=CATEGORY_MAX)
    elif not (category.isascii() and category.isdigit() and len(category) <= ID_DIGITS and int(category) > 0):
        raise ListingError(_l("Enter the category's id: a whole number, such as 8322."), field="category")
    else:
        category = str(int(category))
    note = nfc(note or "").strip()
    if len(note) > NOTE_MAX:
        raise ListingError(_l("The note is longer than %(max)s characters."), field="note", max=NOTE_MAX)
    return product_set, category, note


def save_mapping(marketplace, group, product_set, category, note="", mapping_id=None):
    """Create or change a mapping row and commit. With `mapping_id`, that row is changed; otherwise the row
    for (marketplace, group, product set) is created or, when there is one, replaced. A row saved by staff is
    no longer an example. Raises ListingError (with the field) on a bad value or a clash with another row."""
    product_set, category, note = _clean(marketplace, group, product_set, category, note)
    same_key = db.session.scalar(sa.select(CategoryMapping).filter_by(
        marketplace=marketplace, group=group, product_set=product_set))
    if mapping_id is not None:
        row = get_mapping(mapping_id)
        if row is None:
            raise ListingError(_l("This mapping no longer exists: it may have been deleted."))
        if same_key is not None and same_key.id != row.id:
            raise ListingError(_l("Another row already maps this group and product set on this marketplace."),
                               field="product_set")
    else:
        row = same_key or CategoryMapping()
        db.session.add(row)
    row.marketplace, row.group, row.product_set = marketplace, group, product_set
    row.category, row.note, row.is_example = category, note, False
    db.session.commit()
    return row


def delete_mapping(mapping_id):
    """Remove a mapping row and commit; returns whether there was one."""
    row = get_mapping(mapping_id)
    if row is None:
        return False
    db.session.delete(row)
    db.session.commit()
    return True
