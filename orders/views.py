"""Shopper pages of the orders domain: the cart, checkout, the order pages (with the VietQR code) and the
shopper's list of orders.

Each view parses the request, calls one service of orders.cart, orders.checkout or orders.fulfilment and
renders or redirects. A guest's cart lives in the session, a signed-in shopper's in the database. These
pages are personal: none is page-cached, and every response says Cache-Control: no-store. The browser only
ever sends product ids and quantities: prices and totals are read from the database."""
import logging
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.routing import BuildError

from orders import cart as carts
from orders import history, notifications
from orders.access import order_token, token_opens
from orders.checkout import Delivery, payment_methods, place_order, vietqr_available
from orders.errors import CartChanged, EmptyCart, InvalidQuantity, OrderError, ProductUnavailable
from orders.forms import PAYMENT_HINTS, PAYMENT_LABELS, CheckoutForm
from orders.fulfilment import BOOTH_STATUSES, PAYMENT_STATUSES, cancel_order
from orders.payments import vietqr
from orders.permissions import STAFF_ORDERS
from storefront.accounts.permissions import ACCOUNT_EDIT, can, permission_required
from storefront.accounts.phone import InvalidPhone, display_phone, normalise_phone
from storefront.extensions import csrf
from storefront.pagecache import form_token
from storefront.places import province_by_slug
from storefront.urls import safe_next

bp = Blueprint("orders", __name__)
log = logging.getLogger(__name__)


@bp.after_request
def _not_stored(response):
    """Carts, checkout and orders belong to one person: no browser or proxy keeps a copy."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.app_template_global()
def cart_count():
    """How many items the visitor's cart holds, for the header (a page-cache hole, so per request)."""
    if current_user.is_authenticated:
        return carts.saved_count(current_user.id)
    return carts.count_items(carts.SessionCart(session).items())


@bp.app_template_global()
def cart_buttons():
    """What every add-to-cart form of a page shares, made once per page: the URL, the words, the way back
    and the CSRF token (a hole in cached pages: storefront.pagecache.form_token)."""
    return {"url": url_for("orders.cart_add"), "token": form_token(), "add": _("Add to cart"),
            "quantity": _("Quantity"), "max": carts.MAX_QUANTITY,
            "next": request.full_path.rstrip("?") if request.query_string else request.path}


def _store():
    return carts.SavedCart(current_user) if current_user.is_authenticated else carts.SessionCart(session)


def _user():
    return current_user._get_current_object() if current_user.is_authenticated else None


def _whole_number(text, digits=9):
    text = (text or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= digits else None


# -- cart ----------------------------------------------------------------------------------------------------

def _from_this_site():
    """What the browser says about where a POST came from: Sec-Fetch-Site, else Origin, else Referer."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site:
        return fetch_site in ("same-origin", "none")
    source = request.headers.get("Origin") or request.referrer
    return source is None or urlsplit(source).netloc == request.host


def _check_add_token():
    """Add-to-cart forms sit on cached pages (storefront.pagecache.form_token). A visitor whose session holds
    a CSRF token sees it in every page and must send it back. A browser never given one was shown the
    anonymous copy of the page, which cannot carry one: it may add without, but only from this site."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    if current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token") in session:
        csrf.protect()
    elif not _from_this_site():
        raise CSRFError(_("This form did not come from this site."))


@bp.post("/cart/add")
@csrf.exempt
def cart_add():
    _check_add_token()
    back = safe_next(request.form.get("next"), url_for("orders.cart_show"))
    try:
        product_id = _whole_number(request.form.get("product_id"))
        if product_id is None:
            raise ProductUnavailable(_("This product is not on sale."))
        quantity = carts.parse_quantity(request.form.get("quantity", "1"))
        store = _store()
        before = store.items().get(product_id, (0, 0))[0]
        product = carts.add_to_cart(store, product_id, quantity)
    except OrderError as exc:
        flash(str(exc), "error")
        return redirect(back, 303)
    held = store.items()[product_id][0]
    if held < before + quantity:
        flash(_("Only %(stock)d of “%(name)s” left: the quantity was lowered.", stock=held, name=product.name),
              "error")
    flash(_("“%(name)s” is in your cart.", name=product.name), "success")
    return redirect(back, 303)


def _cart_page(typed=None, errors=None, status=200):
    view = carts.view_cart(_store().items())
    return render_template("orders/cart_show.html", cart=view, typed=typed or {}, errors=errors or {},
                           max_quantity=carts.MAX_QUANTITY), status


@bp.get("/cart")
def cart_show():
    return _cart_page()


@bp.post("/cart/update")
def cart_update():
    """The cart's quantities (0 removes a line), or `remove=<product id>`; `go=checkout` continues."""
    store = _store()
    if "remove" in request.form:
        product_id = _whole_number(request.form["remove"])
        if product_id is not None:
            carts.remove_from_cart(store, product_id)
        flash(_("The product was taken out of your cart."), "success")
        return redirect(url_for("orders.cart_show"), 303)
    typed, errors, quantities = {}, {}, {}
    for product_id in store.items():
        raw = request.form.get(f"quantity-{product_id}")
        if raw is None:
            continue
        typed[product_id] = raw
        try:
            quantities[product_id] = 0 if raw.strip() == "0" else carts.parse_quantity(raw)
        except InvalidQuantity as exc:
            errors[product_id] = str(exc)
    if errors:
        return _cart_page(typed, errors, 400)
    for product, kept in carts.update_quantities(store, quantities):
        flash(_("Only %(stock)d of “%(name)s” left: the quantity was lowered.", stock=kept, name=product.name),
              "error")
    if request.form.get("go") == "checkout":
        return redirect(url_for("orders.checkout"), 303)
    flash(_("Your cart was updated."), "success")
    return redirect(url_for("orders.cart_show"), 303)


# -- checkout ------------------------------------------------------------------------------------------------

def _prefill(user, addresses):
    """What a signed-in shopper's form starts with: their name and phone, then the saved address chosen
    (?address=<id>) or the latest one."""
    data = {"recipient_name": user.name, "phone": display_phone(user.phone or ""), "email": user.email}
    wanted = _whole_number(request.args.get("address"))
    chosen = next((a for a in addresses if a.id == wanted), addresses[0] if addresses else None)
    if chosen is not None:
        data.update(recipient_name=chosen.recipient_name, phone=display_phone(chosen.phone),
                    province=chosen.province, commune=chosen.commune, street=chosen.street)
    return data


def _tidy_phone(form):
    """A number that was right is shown back the way people write it: 0912 345 678."""
    try:
        form.phone.data = display_phone(normalise_phone(form.phone.data))
        form.phone.raw_data = None
    except InvalidPhone:
        pass


def _show_error(form, exc):
    field = getattr(form, exc.field, None) if exc.field else None
    (field.errors if field is not None else form.form_errors).append(str(exc))


def _checkout_page(form, view, addresses, status=200, changed=False):
    if request.method == "POST":
        _tidy_phone(form)
    return render_template("orders/checkout_form.html", form=form, cart=view, addresses=addresses,
                           hints=PAYMENT_HINTS, changed=changed,
                           vietqr_hours=current_app.config["VIETQR_PAY_HOURS"]), status


def _after_placing(order):
    """Where a new order goes: the card payment page, or the order page (guests' links carry the token)."""
    token = order_token(order) if order.user_id is None else None
    if order.payment_method == "card":
        pay = _pay_url(order, token)
        if pay:
            return pay
    return url_for("orders.order_detail", code=order.code, t=token)


@bp.route("/checkout", methods=["GET", "POST"])
def checkout():
    store, user = _store(), _user()
    view = carts.view_cart(store.items())
    if view.is_empty:
        flash(_("Nothing in your cart can be ordered right now.") if view.has_flags else str(EmptyCart.message),
              "error")
        return redirect(url_for("orders.cart_show"), 303)
    addresses = history.saved_addresses(user.id) if user else []
    form = CheckoutForm(methods=payment_methods(view.total_vnd), email_required=user is None or not user.email,
                        data=_prefill(user, addresses) if user and request.method == "GET" else None)
    if request.method == "GET":
        if view.has_flags:  # shown on this page with the current prices, which the next submit then uses
            carts.acknowledge(store, view)
        return _checkout_page(form, view, addresses, changed=view.has_flags)
    if not form.validate_on_submit():
        return _checkout_page(form, view, addresses, 400)
    delivery = Delivery(form.recipient_name.data, form.phone.data, form.province.data, form.commune.data,
                        form.street.data, form.note.data or "", (form.email.data or "").strip())
    try:
        order = place_order(store, delivery, form.payment_method.data, user,
                            save_address=bool(user and form.save_address.data))
    except CartChanged as exc:
        carts.acknowledge(store, view)
        form.form_errors.append(str(exc))
        return _checkout_page(form, view, addresses, 409, changed=True)
    except EmptyCart as exc:
        flash(str(exc), "error")
        return redirect(url_for("orders.cart_show"), 303)
    except OrderError as exc:  # OutOfStock, InvalidDelivery, PaymentUnavailable…
        _show_error(form, exc)
        return _checkout_page(form, view, addresses, 400)
    try:
        notifications.placed(order)
    except Exception:  # the order is placed: a mail server that is down must not tell the shopper otherwise
        log.exception("order %s: the placement e-mails could not be sent", order.code)
    flash(_("Thank you! Your order %(code)s has been placed.", code=order.code), "success")
    return redirect(_after_placing(order), 303)


# -- orders --------------------------------------------------------------------------------------------------

def _open_order(code):
    """(order, token): the order for its signed-in owner, staff, or whoever holds its signed link
    (`t`, kept in the links of the page); anyone else gets a 404."""
    order = history.order_by_code(code)
    if order is None:
        abort(404)
    if current_user.is_authenticated and (order.user_id == current_user.id or can(STAFF_ORDERS)):
        return order, None
    token = request.values.get("t")
    if token_opens(token, order.code):
        return order, token
    abort(404)


def _pay_url(order, token):
    """The card payment page (orders.payments), when that blueprint serves one."""
    try:
        return url_for("payments.order_pay", code=order.code, t=token)
    except BuildError:
        return None


def _transfer(order):
    config = current_app.config
    return {"bank": vietqr.bank_name(config["VIETQR_BANK_BIN"]), "bin": config["VIETQR_BANK_BIN"],
            "account": config["VIETQR_ACCOUNT"], "name": config["VIETQR_ACCOUNT_NAME"],
            "message": vietqr.purpose_text(order.code)}


@bp.get("/orders/<code>")
def order_detail(code):
    order, token = _open_order(code)
    awaiting = order.payment_status in ("pending", "failed")
    return render_template(
        "orders/order_show.html", order=order, token=token, statuses=BOOTH_STATUSES,
        payment_statuses=PAYMENT_STATUSES, payment_labels=PAYMENT_LABELS, province=province_by_slug(order.province),
        pay_url=_pay_url(order, token) if order.payment_method == "card" and awaiting else None,
        transfer=_transfer(order) if order.payment_method == "vietqr" and vietqr_available() else None,
        can_cancel=awaiting,
    )


@bp.get("/orders/<code>/vietqr.png")
def order_vietqr(code):
    """The transfer's QR code, while the order waits for it."""
    order, _token = _open_order(code)
    if order.payment_method != "vietqr" or order.payment_status != "pending" or not vietqr_available():
        abort(404)
    data = vietqr.order_payload(order, current_app.config)
    return current_app.response_class(vietqr.png(data), mimetype="image/png")


@bp.post("/orders/<code>/cancel")
def order_cancel(code):
    order, token = _open_order(code)
    try:
        cancel_order(order, _user())
    except OrderError as exc:
        flash(str(exc), "error")
    else:
        flash(_("Order %(code)s was cancelled. Nothing will be charged.", code=order.code), "success")
    return redirect(url_for("orders.order_detail", code=order.code, t=token), 303)


@bp.get("/account/orders")
@permission_required(ACCOUNT_EDIT)
def order_list():
    number = _whole_number(request.args.get("page", "1"), digits=6)
    if not number:
        abort(404)
    page = history.shopper_orders(current_user.id, number)
    if number > page.pages:
        abort(404)
    return render_template("orders/order_list.html", page=page, statuses=BOOTH_STATUSES,
                           payment_statuses=PAYMENT_STATUSES)
