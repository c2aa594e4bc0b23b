"""The demo market: Trà Vinh's OCOP producers (now Vĩnh Long), their showrooms, and synthetic products
for benchmarks. `flask --app wsgi ocop demo [--scale N] [--if-empty]`."""
from catalog.demo.loader import DemoSummary, load_demo

__all__ = ["DemoSummary", "load_demo"]
