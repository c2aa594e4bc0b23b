/* The card payment page: Stripe.js's card element, and stripe.confirmCardPayment with the intent's client
   secret (Stripe.js shows the bank's 3-D Secure check when the card needs it). A declined card shows Stripe's
   message and the shopper can try again; a payment that went through goes to the page that waits for the
   confirmation. The order is marked paid by Stripe's signed webhook on the server, never by this script. */
(function () {
  "use strict";
  const form = document.getElementById("card-form");
  if (!form) return;
  const button = document.getElementById("card-pay");
  const errors = document.getElementById("card-errors");
  const label = button.textContent;

  function showError(message) {
    errors.textContent = message || "";
    errors.hidden = !message;
  }

  if (typeof window.Stripe !== "function") {
    showError(form.dataset.unavailable);
    return;
  }
  const stripe = window.Stripe(form.dataset.key, {locale: form.dataset.locale});
  const card = stripe.elements().create("card", {hidePostalCode: true, style: {base: {fontSize: "16px"}}});
  card.mount("#card-element");
  card.on("change", function (event) {
    showError(event && event.error ? event.error.message : "");
  });
  button.disabled = false;

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    if (button.disabled) return;
    button.disabled = true;
    button.textContent = form.dataset.busy;
    showError("");
    let result;
    try {
      result = await stripe.confirmCardPayment(form.dataset.secret, {payment_method: {card: card}});
    } catch (err) {
      result = {error: {}};
    }
    const intent = result && result.paymentIntent;
    if (intent && ["succeeded", "processing", "requires_capture"].indexOf(intent.status) >= 0) {
      window.location.assign(form.dataset.done);
      return;
    }
    showError((result && result.error && result.error.message) || form.dataset.failed);
    button.textContent = label;
    button.disabled = false;
  });
})();
