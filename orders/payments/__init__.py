"""Payment providers, one adapter module each: stripe_adapter (cards) and vietqr (bank-transfer QR codes)."""
