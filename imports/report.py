"""The report of one import: what it would do or did, and every problem with its line.

A report holds counts, line numbers, column names and Danish messages, and at most a masked
CPR number (DDMMYY-XXXX) inside a message: it may be shown, printed and handed back by a task.
"""

from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Issue:
    line: int | None  # the file's line (CSV) or row (Excel), header = 1; None for the whole file
    column: str
    message: str

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
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    def error(self, line, column, message):
        self.errors.append(Issue(line, column, str(message)))

    def warning(self, line, column, message):
        self.warnings.append(Issue(line, column, str(message)))

    @property
    def ok(self):
        return not self.errors

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
        return sorted(self.errors, key=lambda issue: (issue.line or 0, issue.column))

    def sorted_warnings(self):
        return sorted(self.warnings, key=lambda issue: (issue.line or 0, issue.column))

    def summary(self):
        if not self.ok:
            return _("Filen er ikke importeret: %(count)s fejl. Intet er gemt.") % {"count": len(self.errors)}
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
        if self.warnings:
            lines.append(_("Advarsler:"))
            lines += [f"  {issue.as_text()}" for issue in self.sorted_warnings()]
        return "\n".join(lines)

    def as_dict(self):
        """For a task's result: plain values only."""
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
        }
