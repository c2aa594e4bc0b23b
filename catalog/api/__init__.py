"""JSON API v1, read-only: products, booths and the OpenAPI document that describes them."""
from catalog.api.views import bp

__all__ = ["bp"]
