"""What an import did, or would do: counts per kind of record and the problems found, row by row."""
from collections import Counter
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

ERROR, WARNING = "error", "warning"


class RegisterFileError(ValueError):
    """The file cannot be read as a register at all (empty, wrong type, wrong encoding, unreadable)."""

    def __init__(self, reason):
        super().__init__(str(reason))
        self.reason = reason

    def __str__(self):
        return str(self.reason)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file: `row` as the spreadsheet numbers it (header = 1), `column` as
    headed in the file, a `code` for programs and a translatable `reason` for people."""

    row: int
    column: str
    code: str
    reason: object
    level: str = ERROR

    def __str__(self):
        where = _l("Row %(row)s, column “%(column)s”", row=self.row, column=self.column) if self.column \
            else _l("Row %(row)s", row=self.row)
        label = _l("warning") if self.level == WARNING else _l("error")
        return f"{where} ({label}): {self.reason}"


@dataclass
class Problems:
    """A file import's problems, each with its row and column (the register import and the listing upload)."""

    problems: list = field(default_factory=list)

    def add(self, row, column, code, reason, level=ERROR):
        self.problems.append(Problem(row, column or "", code, reason, level))

    @property
    def errors(self):
        return [p for p in self.problems if p.level == ERROR]

    @property
    def warnings(self):
        return [p for p in self.problems if p.level == WARNING]

    @property
    def ok(self):
        return not self.errors


@dataclass
class ImportReport(Problems):
    dry_run: bool = False
    rows: int = 0
    booths: Counter = field(default_factory=Counter)
    products: Counter = field(default_factory=Counter)
    certificates_added: int = 0

    @property
    def written(self):
        """True when the import changed the database."""
        return self.ok and not self.dry_run and bool(
            self.booths["created"] + self.booths["updated"] + self.products["created"]
            + self.products["updated"] + self.certificates_added)

    def summary_lines(self):
        """The summary shown to staff, one translated line per kind of record."""
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        lines = []
        if self.dry_run:
            lines.append(str(_l("Dry run: nothing was written. This is what the import would do.")))
        lines.append(str(_l("Rows read: %(rows)s", rows=self.rows)))
        lines.append(str(_l("Booths: %(created)s created, %(updated)s updated, %(unchanged)s unchanged",
                            **{**counts, **self.booths})))
        lines.append(str(_l("Products: %(created)s created, %(updated)s updated, %(unchanged)s unchanged",
                            **{**counts, **self.products})))
        lines.append(str(_l("Certificates added: %(count)s", count=self.certificates_added)))
        if self.problems:
            lines.append(str(_l("Errors: %(errors)s, warnings: %(warnings)s",
                                errors=len(self.errors), warnings=len(self.warnings))))
        return lines
