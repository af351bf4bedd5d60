"""The report of one import: what it would do or did, and every problem with its line.

A report holds counts, line numbers, column names and Danish messages, and at most a masked
CPR number (DDMMYY-XXXX) inside a message: it may be shown, printed and handed back by a task.
"""

import bisect
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.cpr_text import MASK, WHOLE_CPR_DIGITS, mask_cpr_like, run_digits

# A report keeps (and shows) at most this many errors and as many warnings: the first ones by
# line and column. The true counts are kept beside them.
MAX_ISSUES = 200


def _birth_date_kept(run):
    digits = run_digits(run)
    if len(digits) == 10:
        return f"{digits[:6]}-XXXX"
    if len(digits) == 9 and run.isdigit():
        # Excel drops the leading zero of a CPR number stored as a number: 9 digits on their own.
        return f"0{digits[:5]}-XXXX"
    return MASK


def scrub(text):
    """`text` with every run that may hold a whole CPR number masked (core.cpr_text, in any of
    its shapes: 010190-1234, 01.01.90-1234, 01019O-1234, or 9 digits that lost the leading
    zero), as DDMMYY-XXXX where it is one (the birth date kept, as every page shows it) and
    wholly otherwise. Every value a message repeats from the file passes through here, and so
    does every issue's message and column (Issue does it), so no report text holds a full CPR.

    Shorter runs stay: the report shows the importing user a date, a CVR number or a line
    number of their own file, and a birth date at most."""
    return mask_cpr_like(str(text), _birth_date_kept, min_digits=WHOLE_CPR_DIGITS)


def _sort_key(issue):
    return (issue.line or 0, issue.column)


@dataclass(frozen=True)
class Issue:
    line: int | None  # the file's line (CSV) or row (Excel), header = 1; None for the whole file
    column: str
    message: str

    def __post_init__(self):
        object.__setattr__(self, "column", scrub(self.column))
        object.__setattr__(self, "message", scrub(self.message))

    def as_text(self):
        where = _("Linje %(line)s") % {"line": self.line} if self.line else _("Filen")
        if self.column:
            where = f"{where}, {self.column}"
        return f"{where}: {self.message}"


@dataclass
class ImportReport:
    kind: str  # "citizens" or "placements"
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    employers_created: int = 0
    # The first MAX_ISSUES errors and warnings by line and column, sorted; the counts are all.
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    error_count: int = 0
    warning_count: int = 0

    def error(self, line, column, message):
        self.error_count += 1
        _keep(self.errors, Issue(line, column, str(message)))

    def warning(self, line, column, message):
        self.warning_count += 1
        _keep(self.warnings, Issue(line, column, str(message)))

    def add_errors(self, issues, more=0):
        """The issues, and `more` errors counted but not listed (beyond the first ones)."""
        for issue in issues:
            self.error(issue.line, issue.column, issue.message)
        self.error_count += more

    @property
    def ok(self):
        return not self.error_count

    @property
    def more_errors(self):
        """The errors counted but not kept."""
        return self.error_count - len(self.errors)

    @property
    def more_warnings(self):
        return self.warning_count - len(self.warnings)

    def more_errors_text(self):
        n = self.more_errors
        return ngettext("og %(count)s fejl mere", "og %(count)s fejl mere", n) % {"count": n} if n > 0 else ""

    def more_warnings_text(self):
        n = self.more_warnings
        return ngettext("og %(count)s advarsel mere", "og %(count)s advarsler mere", n) % {"count": n} if n > 0 else ""

    @property
    def saved(self):
        return self.ok and not self.dry_run

    @property
    def rows(self):
        return self.created + self.updated + self.unchanged

    def discard_counts(self):
        """Nothing was saved after all: the counts would mislead."""
        self.created = self.updated = self.unchanged = self.employers_created = 0

    def sorted_errors(self):
        return sorted(self.errors, key=_sort_key)

    def sorted_warnings(self):
        return sorted(self.warnings, key=_sort_key)

    def summary(self):
        if not self.ok:
            return _("Filen er ikke importeret: %(count)s fejl. Intet er gemt.") % {"count": self.error_count}
        counts = {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}
        if self.dry_run:
            text = _(
                "Filen er kontrolleret uden fejl, men intet er gemt. Ville blive oprettet: %(created)s, "
                "ændret: %(updated)s, uændret: %(unchanged)s."
            ) % counts
        else:
            text = _("Importen er gennemført. Oprettet: %(created)s, ændret: %(updated)s, uændret: %(unchanged)s.") % counts
        if self.employers_created:
            text += " " + _("Nye virksomheder: %(count)s.") % {"count": self.employers_created}
        return text

    def as_text(self):
        lines = [self.summary()]
        if self.errors:
            lines.append(_("Fejl:"))
            lines += [f"  {issue.as_text()}" for issue in self.sorted_errors()]
            if self.more_errors > 0:
                lines.append(f"  {self.more_errors_text()}")
        if self.warnings:
            lines.append(_("Advarsler:"))
            lines += [f"  {issue.as_text()}" for issue in self.sorted_warnings()]
            if self.more_warnings > 0:
                lines.append(f"  {self.more_warnings_text()}")
        return "\n".join(lines)

    @classmethod
    def from_dict(cls, data):
        """The report that as_dict() gave, back again (a finished import job keeps it so)."""
        report = cls(data["kind"], dry_run=data["dry_run"])
        for name in ("created", "updated", "unchanged", "employers_created", "error_count", "warning_count"):
            setattr(report, name, data[name])
        report.errors = [Issue(**issue) for issue in data["errors"]]
        report.warnings = [Issue(**issue) for issue in data["warnings"]]
        return report

    def as_dict(self):
        """For a task's result and an import job's row: plain values only."""
        return {
            "kind": self.kind,
            "dry_run": self.dry_run,
            "saved": self.saved,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "employers_created": self.employers_created,
            "errors": [asdict(issue) for issue in self.sorted_errors()],
            "warnings": [asdict(issue) for issue in self.sorted_warnings()],
            "error_count": self.error_count,
            "warning_count": self.warning_count,
        }


def _keep(issues, issue):
    """Insert `issue` into the sorted list `issues`, which keeps only the first MAX_ISSUES."""
    if len(issues) >= MAX_ISSUES and _sort_key(issue) >= _sort_key(issues[-1]):
        return
    bisect.insort_right(issues, issue, key=_sort_key)
    if len(issues) > MAX_ISSUES:
        issues.pop()
