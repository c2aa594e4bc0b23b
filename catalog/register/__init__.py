"""The provincial OCOP register import: CSV or XLSX in, booths, products and certificates out.

reading (file -> rows) -> columns (header names) -> rows/cells (one row -> values) -> plan (rows
against each other and the database) -> service (import_catalog: apply, commit once) -> report."""
from catalog.register.report import ImportReport, Problem, RegisterFileError
from catalog.register.service import import_catalog

__all__ = ["ImportReport", "Problem", "RegisterFileError", "import_catalog"]
