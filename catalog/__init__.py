"""Products, OCOP certificates, QR codes, the register import and the demo market."""
