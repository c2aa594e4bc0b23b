"""Where every product is listed: the listing records per marketplace, the category mapping, booths'
marketplace credentials, and the figures the province reports."""
