"""Producer booths: the Vendor model, entity types, and (with the accounts issue) onboarding and the dashboard."""
