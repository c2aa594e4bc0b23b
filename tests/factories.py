"""Small builders for test data. Each commits, so pages and APIs see the rows."""
from datetime import date
from itertools import count

from catalog.models import Certificate, Product, ProductImage, Showroom
from storefront.extensions import db
from storefront.text import slugify
from vendors.models import Vendor

_seq = count(1)


def make_vendor(name=None, *, status="approved", entity_type="hop_tac_xa", province="vinh-long", commit=True, **kw):
    n = next(_seq)
    name = name or f"Hợp tác xã Thử {n}"
    vendor = Vendor(name=name, slug=kw.pop("slug", f"{slugify(name)}-{n}"), entity_type=entity_type,
                    province=province, status=status, **kw)
    db.session.add(vendor)
    if commit:
        db.session.commit()
    return vendor


def make_product(vendor=None, name=None, *, price_vnd=120_000, stock=10, group="thuc_pham", star=None,
                 cert_status="certified", decided_on=None, image=False, commit=True, **kw):
    """A product; with `star`, also a certificate (decided today unless `decided_on`)."""
    n = next(_seq)
    vendor = vendor or make_vendor(commit=False)
    name = name or f"Kẹo dừa thử {n}"
    product = Product(vendor=vendor, name=name, slug=kw.pop("slug", f"{slugify(name)}-{n}"), group=group,
                      price_vnd=price_vnd, stock=stock, **kw)
    db.session.add(product)
    if star:
        product.certificates.append(Certificate(
            star=star, status=cert_status, decided_on=decided_on or date.today(),
            decision_no=f"{n}/QĐ-UBND", issuing_level="province", issuing_body="UBND tỉnh Vĩnh Long"))
        product.refresh_ocop()
    if image:
        product.images.append(ProductImage(key="img/test", width=800, height=800, position=0))
    if commit:
        db.session.commit()
    return product


def make_showroom(name="Cửa hàng OCOP thử", products=(), commit=True):
    showroom = Showroom(name=name, slug=slugify(name) + f"-{next(_seq)}", address_text="Phường 1, Trà Vinh",
                        province="vinh-long", products=list(products))
    db.session.add(showroom)
    if commit:
        db.session.commit()
    return showroom


def signed_in_client(app, session_id=None):
    """A test client signed in the way Flask-Login keeps it (`User.get_id()` in the session), without the
    sign-in form and so without its rate limit; anonymous when `session_id` is None."""
    client = app.test_client()
    if session_id is not None:
        with client.session_transaction() as session:
            session["_user_id"] = session_id
            session["_fresh"] = True
    return client
