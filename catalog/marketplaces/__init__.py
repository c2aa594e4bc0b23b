"""Pushing products to the marketplaces that have a seller API (Tiki, Sendo): booths' encrypted
credentials (accounts, secrets, tokens), one small HTTP layer with timeouts and retries (http), one client
per marketplace (tiki, sendo), the push and refresh services (push) and the `ocop refresh-listings`
command (cli). Every failure a person can see is a MarketplaceError (errors)."""
