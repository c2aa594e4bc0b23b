"""What cart, checkout, fulfilment and payment can refuse, each with the message a person reads and
the form field it belongs under (None: the page as a whole)."""
from flask_babel import lazy_gettext as _l

from storefront.domain import DomainError


class OrderError(DomainError):
    message = _l("This order could not be changed.")


class EmptyCart(OrderError):
    message = _l("Your cart is empty.")


class InvalidQuantity(OrderError):
    message = _l("Choose a quantity from 1 to %(max)d.")
    field = "quantity"


class ProductUnavailable(OrderError):
    message = _l("“%(name)s” is no longer on sale.")


class OutOfStock(OrderError):
    message = _l("Only %(available)d of “%(name)s” left: lower the quantity in your cart.")

    def __init__(self, product_id, name, available):
        self.product_id, self.available = product_id, available
        if available <= 0:
            super().__init__(_l("“%(name)s” has just sold out: remove it from your cart."), name=name)
        else:
            super().__init__(name=name, available=available)


class CartChanged(OrderError):
    """Prices, stock or availability changed since the shopper last saw the cart: show it again."""

    message = _l("Some items in your cart changed since you added them. Check the cart and place the order again.")

    def __init__(self, problems):
        self.problems = problems
        super().__init__()


class PaymentUnavailable(OrderError):
    message = _l("This payment method is not available for this order.")
    field = "payment_method"


class PaymentFailed(OrderError):
    message = _l("The payment service did not answer. Your order is kept: try again in a moment.")


class PaymentInProgress(OrderError):
    """The card went through; the order is marked paid when Stripe's webhook confirms it."""

    message = _l("Your card payment went through and is being confirmed.")


class TransitionRefused(OrderError):
    message = _l("A booth order that is %(current)s cannot become %(target)s.")


class RefundRefused(OrderError):
    message = _l("A refund must be between 1 ₫ and %(max)s.")
    field = "amount"
