"""Cart, checkout, booth orders and payments (arrives with the checkout issue)."""
