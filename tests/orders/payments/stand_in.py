"""localstripe, run on a socket the test suite opened on 127.0.0.1 (`python stand_in.py <fd>`), with two
test-only additions.

localstripe's fake Stripe.js implements `confirmCardPayment(clientSecret)` only for an intent the server
has already confirmed (it opens its 3-D Secure dialog and nothing else); it never reads the card element.
Real Stripe.js confirms from the browser with the publishable key, the client secret and the card
(`POST /v1/payment_intents/<id>/confirm` with `payment_method_data`), which localstripe accepts only with
the secret key. So this adds that browser-side confirm under localstripe's own unauthenticated `/_config/`
prefix (checking the client secret as Stripe does) and wraps its `confirmCardPayment` to call it when given
`{payment_method: {card: element}}`, falling back to localstripe's own 3-D Secure dialog when the intent
then requires action. Everything else — intents, charges, declines, 3-D Secure cards, refunds, signed
webhooks — is localstripe's.

localstripe also pickles its whole store to a fixed /tmp/localstripe.pickle after every change (shared by
every run on the machine, and only read back by its own command-line start): that is switched off here."""
import json
import socket
import sys

from aiohttp import web

from localstripe import resources
from localstripe.errors import UserError

resources.Store.dump_to_disk = lambda self: None

from localstripe import server  # noqa: E402  (after the store is patched)

CONFIRM_JS = """
;(function () {
  const makeStripe = Stripe;
  Stripe = (apiKey, options) => {
    const stripe = makeStripe(apiKey, options);
    const authenticate = stripe.confirmCardPayment;
    stripe.confirmCardPayment = async (clientSecret, data) => {
      const card = data && data.payment_method && data.payment_method.card;
      if (!card || typeof card.mount !== 'function') return authenticate(clientSecret, data);
      const pi = clientSecret.match(/^(pi_\\w+)_secret_/)[1];
      try {
        const response = await fetch(`${LOCALSTRIPE_BASE_API}/_config/payment_intents/${pi}/confirm`, {
          method: 'POST',
          body: JSON.stringify({key: apiKey, client_secret: clientSecret,
                                card: (card.value || {}).card || {}}),
        });
        const body = await response.json().catch(() => ({}));
        if (response.status !== 200 || body.error) return {error: body.error || {message: 'Bad request'}};
        if (body.status === 'requires_action') return authenticate(clientSecret, data);
        return {paymentIntent: body};
      } catch (err) {
        return {error: {message: String(err)}};
      }
    };
    return stripe;
  };
})();
"""


async def confirm_with_card(request):
    """Stripe.js's confirm: a new card PaymentMethod on the intent, then localstripe's own confirm."""
    try:
        data = json.loads(await request.text())
        intent = resources.PaymentIntent._api_retrieve(request.match_info["id"])
        if not str(data.get("key", "")).startswith("pk_") or data.get("client_secret") != intent.client_secret:
            raise UserError(401, "Unauthorized")
        card = data.get("card") or {}
        method = resources.PaymentMethod(type="card", card={k: str(card.get(k, "")) for k in
                                                            ("number", "exp_month", "exp_year", "cvc")})
    except (ValueError, AttributeError, TypeError):
        raise UserError(400, "Bad request") from None
    if intent.status not in ("requires_payment_method", "requires_confirmation"):
        raise UserError(400, "This PaymentIntent's status is " + intent.status)
    intent.payment_method = method.id
    intent.latest_charge = None  # a new attempt after a declined card gets a new charge, as on Stripe
    return server.json_response(resources.PaymentIntent._api_confirm(intent.id)._export())


@web.middleware
async def extended_js(request, handler):
    response = await handler(request)
    if request.path == "/js.stripe.com/v3/" and response.status == 200:
        return web.Response(text=response.text + CONFIRM_JS, content_type="application/javascript")
    return response


def main(fd):
    app = server.app
    app.router.add_post("/_config/payment_intents/{id}/confirm", confirm_with_card)
    app.middlewares.append(extended_js)
    sock = socket.socket(fileno=fd)
    web.run_app(app, sock=sock, print=None, access_log=None, handle_signals=True)


if __name__ == "__main__":
    main(int(sys.argv[1]))
