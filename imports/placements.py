"""Importing placements (shared/formats.md, "placements") into one municipality: every row is
validated first, then the whole file is saved in one transaction, or nothing is.

A row with the same citizen, employer, kind and start date as an existing placement updates
it; an empty end date leaves the placement's end date as it is. A CVR number the
municipality does not know yet creates the employer from the row's name and sector.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import AccessLog
from audit.services import access_log_record
from citizens import cpr as cprlib
from citizens.models import Citizen
from core.limits import MAX_WEEKLY_HOURS
from core.validators import validate_planned_date
from employers.models import Employer
from placements.models import OVERLAP_MESSAGE, Placement
from placements.services import citizens_status_refresh, followups_schedule

from .common import (
    PURPOSE,
    import_whole_file,
    chunked,
    plan_row,
    masked,
    messages_by_field,
)
from .parsing import (
    Cells,
    Column,
    date_parser,
    echo,
    parse_cpr,
    parse_cvr,
    parse_decimal,
    parse_text,
)
from .report import ImportReport

COLUMNS = (
    Column("cpr", required=True),
    Column("cvr", required=True),
    Column("employer_name"),
    Column("sector"),
    Column("kind", required=True),
    Column("hours_per_week", required=True),
    Column("start_date", required=True),
    Column("end_date"),
)
MINI_FLEXJOB = "mini_flexjob"  # stored as a flex job; its hours must be within the mini limit
KINDS = {
    "flexjob": Placement.Kind.FLEXJOB,
    "fleksjob": Placement.Kind.FLEXJOB,
    "mini_flexjob": MINI_FLEXJOB,
    "minifleksjob": MINI_FLEXJOB,
    "internship": Placement.Kind.INTERNSHIP,
    "praktik": Placement.Kind.INTERNSHIP,
    "ordinary_job": Placement.Kind.ORDINARY_JOB,
    "ordinært job": Placement.Kind.ORDINARY_JOB,
    # Common spellings of the mini flex job.
    "mini-fleksjob": MINI_FLEXJOB,
    "mini fleksjob": MINI_FLEXJOB,
    "mini-flexjob": MINI_FLEXJOB,
    "mini flexjob": MINI_FLEXJOB,
}
SECTORS = {
    "private": Employer.Sector.PRIVATE,
    "privat": Employer.Sector.PRIVATE,
    "public": Employer.Sector.PUBLIC,
    "offentlig": Employer.Sector.PUBLIC,
}
_FIELD_NAMES = [f.name for f in Placement._meta.concrete_fields]
# The column a row can correct when the planned placement would break one of the model's
# constraints (e.g. hours raised above the placement's contracted hours).
_CONSTRAINT_COLUMNS = {
    "placement_hours_range": "hours_per_week",
    "placement_contracted_hours_range": "hours_per_week",
    "placement_end_not_before_start": "end_date",
    "placement_kind_valid": "kind",
}
_EMPLOYER_COLUMNS = {"name": "employer_name", "sector": "sector", "cvr": "cvr"}
# A placement's dates, as the placement form takes them (core.validators).
parse_placement_date = date_parser(validate_planned_date)
_EMPLOYER_NOT_IMPORTED = [f.name for f in Employer._meta.concrete_fields if f.name not in _EMPLOYER_COLUMNS]


@dataclass
class _Row:
    line: int
    cpr: str | None
    cvr: str | None
    employer_name: str | None
    sector: str | None
    kind: str | None
    mini: bool
    hours: object
    start: object
    end: object
    ok: bool
    failed: set
    citizen: Citizen | None = None
    employer: Employer | None = None
    match: Placement | None = None

    @property
    def pair(self):
        """The citizen and employer, whether the employer is saved yet or comes from the file."""
        return (self.citizen.pk, self.employer.pk or ("new", self.employer.cvr))

    @property
    def period_end(self):
        if self.end is not None:
            return self.end
        return self.match.end_date if self.match else None


@dataclass
class _Planned:
    line: int
    placement: Placement
    changed: list | None  # None for a new placement
    shrinks: bool = False


def placements_import(*, user, source, filename, municipality, dry_run=False, progress=None):
    """Import a placements file on behalf of `user` into `municipality`. Returns an
    ImportReport; saves only when it is ok. `progress(done, total)` hears how far it is
    (common.import_whole_file)."""
    report = ImportReport("placements", dry_run=dry_run)
    return import_whole_file(
        report,
        user,
        source=source,
        filename=filename,
        columns=COLUMNS,
        plan=lambda table, counted: _plan(table, municipality, user, report, counted),
        save=lambda plan, counted: _save(*plan, user, municipality, counted),
        dry_run=dry_run,
        progress=progress,
    )


def _choice(mapping, message):
    def parse(value):
        key = " ".join(str(value).split()).lower()
        if key not in mapping:
            raise ValidationError(message % {"value": echo(value, 30)})
        return mapping[key]

    return parse


# Lazy: shown in the language of whoever imports, not the one active when this module loaded.
_parse_kind = _choice(KINDS, gettext_lazy(
    "Ukendt type «%(value)s». Brug flexjob, mini_flexjob, internship, ordinary_job, "
    "fleksjob, minifleksjob, praktik eller ordinært job."
))
_parse_sector = _choice(SECTORS, gettext_lazy("Ukendt sektor «%(value)s». Brug private, public, privat eller offentlig."))


def _hours_text(value):
    return f"{value.normalize():f}".replace(".", ",")


def _parse(row, report):
    cells = Cells(row, report)
    kind = cells.take("kind", _parse_kind, required=True)
    hours = cells.take("hours_per_week", parse_decimal, required=True)
    if hours is not None and not 0 < hours <= MAX_WEEKLY_HOURS:
        cells.fail("hours_per_week", _("Timer om ugen skal være over 0 og højst 37."))
    elif hours is not None and kind == MINI_FLEXJOB and hours > settings.MINI_FLEXJOB_MAX_HOURS:
        cells.fail("hours_per_week", _("Et mini-fleksjob har højst %(max)s timer om ugen.") % {
            "max": _hours_text(settings.MINI_FLEXJOB_MAX_HOURS)
        })
    start = cells.take("start_date", parse_placement_date, required=True)
    end = cells.take("end_date", parse_placement_date)
    if start and end and end < start:
        cells.fail("end_date", _("Slutdatoen må ikke ligge før startdatoen."))
    stored_kind = Placement.Kind.FLEXJOB if kind == MINI_FLEXJOB else kind
    # The model's own field checks (decimal places, kinds) on the cells given.
    values = {"kind": stored_kind, "hours_per_week": hours, "start_date": start, "end_date": end}
    values = {name: value for name, value in values.items() if value is not None and name not in cells.failed}
    try:
        Placement(**values).clean_fields(exclude=[f for f in _FIELD_NAMES if f not in values])
    except ValidationError as error:
        for column, message in messages_by_field(error):
            cells.fail(column, message)
    return _Row(
        line=row.line,
        cpr=cells.take("cpr", parse_cpr, required=True),
        cvr=cells.take("cvr", parse_cvr, required=True),
        employer_name=cells.take("employer_name", parse_text),
        sector=cells.take("sector", _parse_sector),
        kind=stored_kind,
        mini=kind == MINI_FLEXJOB,
        hours=hours,
        start=start,
        end=end,
        ok=cells.ok,
        failed=cells.failed,
    )


def _plan(table, municipality, user, report, counted):
    rows = [_parse(row, report) for row in counted(table.rows)]
    citizens = _citizens(rows, municipality)
    employers = _employers(rows, municipality)
    existing = _placements(citizens.values())
    new_employers = {}  # CVR → (the employer to create, the line that defines it)

    # First every row finds its citizen, employer and the placement it updates, so the
    # overlap check below compares each row with the periods as they will be after the import.
    for row in rows:
        if row.cpr is not None:
            row.citizen = citizens.get(cprlib.cpr_hash(row.cpr))
            if row.citizen is None:
                row.ok = False
                report.error(row.line, "cpr", _(
                    "Der findes ingen borger med CPR-nummeret %(cpr)s i kommunen."
                ) % {"cpr": masked(row.cpr)})
        if row.cvr is not None:
            row.employer = employers.get(row.cvr) or _new_employer(row, municipality, new_employers, report)
        if not row.ok:
            continue
        if row.employer.pk:
            row.match = next(
                (
                    p for p in existing[row.citizen.pk]
                    if (p.employer_id, p.kind, p.start_date) == (row.employer.pk, row.kind, row.start)
                ),
                None,
            )
        if row.period_end is not None and row.period_end < row.start:
            row.ok = False
            report.error(row.line, "end_date", _("Slutdatoen må ikke ligge før startdatoen."))

    valid = [row for row in rows if row.ok]
    _check_overlaps(valid, existing, report)

    planned = []
    for row in valid:
        if not row.ok:
            continue
        item = _apply(row, user)
        if plan_row(report, row.line, item.placement, item.changed, _CONSTRAINT_COLUMNS):
            planned.append(item)
    report.employers_created = len(new_employers)
    return [employer for employer, _line in new_employers.values()], planned


def _citizens(rows, municipality):
    """CPR hash → the municipality's citizen, locked like placements.services locks it, so no
    placement for these citizens can be registered while the file is checked and saved."""
    hashes = {cprlib.cpr_hash(row.cpr) for row in rows if row.cpr}
    found = {}
    for chunk in chunked(sorted(hashes)):
        citizens = Citizen.objects.select_for_update().filter(municipality=municipality, cpr_hash__in=chunk)
        found.update({c.cpr_hash: c for c in citizens})
    return found


def _employers(rows, municipality):
    numbers = {row.cvr for row in rows if row.cvr}
    found = {}
    for chunk in chunked(sorted(numbers)):
        found.update({e.cvr: e for e in Employer.objects.filter(municipality=municipality, cvr__in=chunk)})
    return found


def _placements(citizens):
    """Citizen id → their placements (at any employer)."""
    found = defaultdict(list)
    for chunk in chunked(sorted(c.pk for c in citizens)):
        for placement in Placement.objects.filter(citizen_id__in=chunk).order_by("pk"):
            found[placement.citizen_id].append(placement)
    return found


def _new_employer(row, municipality, new_employers, report):
    """The employer a row's unknown CVR number creates: the first row that names it defines it."""
    if row.cvr in new_employers:
        employer, line = new_employers[row.cvr]
        if row.employer_name and row.employer_name != employer.name:
            row.ok = False
            report.error(row.line, "employer_name", _(
                "Virksomheden med CVR-nummer %(cvr)s har et andet navn på linje %(line)s."
            ) % {"cvr": row.cvr, "line": line})
        if row.sector and row.sector != employer.sector:
            row.ok = False
            report.error(row.line, "sector", _(
                "Virksomheden med CVR-nummer %(cvr)s har en anden sektor på linje %(line)s."
            ) % {"cvr": row.cvr, "line": line})
        return employer
    missing = [
        column for column in ("employer_name", "sector") if not getattr(row, column) and column not in row.failed
    ]
    for column in missing:
        report.error(row.line, column, _(
            "Skal udfyldes, når CVR-nummeret ikke er en kendt virksomhed i kommunen."
        ))
    if missing or {"employer_name", "sector"} & row.failed:
        row.ok = False
        return None
    employer = Employer(municipality=municipality, cvr=row.cvr, name=row.employer_name, sector=row.sector)
    try:
        employer.full_clean(exclude=_EMPLOYER_NOT_IMPORTED, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        row.ok = False
        for column, message in messages_by_field(error, _EMPLOYER_COLUMNS):
            report.error(row.line, column, message)
        return None
    new_employers[row.cvr] = (employer, row.line)
    return employer


def _check_overlaps(rows, existing, report):
    """A citizen cannot hold two overlapping placements at one employer: neither with a
    placement already registered nor with another row of the file."""
    updated = {row.match.pk for row in rows if row.match}
    earlier = defaultdict(list)
    for row in rows:
        end = row.period_end
        for other in earlier[row.pair]:
            if (other.kind, other.start) == (row.kind, row.start):
                report.error(row.line, "start_date", _(
                    "Samme ansættelse står også på linje %(line)s."
                ) % {"line": other.line})
                row.ok = False
                break
            if _overlap(row.start, end, other.start, other.period_end):
                report.error(row.line, "start_date", _(
                    "Ansættelsen overlapper ansættelsen på linje %(line)s hos samme virksomhed."
                ) % {"line": other.line})
                row.ok = False
                break
        if row.ok and row.employer.pk:
            for placement in existing[row.citizen.pk]:
                if (
                    placement.employer_id == row.employer.pk
                    and placement.pk not in updated
                    and _overlap(row.start, end, placement.start_date, placement.end_date)
                ):
                    report.error(row.line, "start_date", OVERLAP_MESSAGE)
                    row.ok = False
                    break
        if row.ok:
            earlier[row.pair].append(row)


def _overlap(start, end, other_start, other_end):
    """Whether two periods share a day; an open end runs on (as Placement.objects.overlapping)."""
    return (other_end is None or other_end >= start) and (end is None or other_start <= end)


def _apply(row, user):
    if row.match is None:
        placement = Placement(
            citizen=row.citizen,
            employer=row.employer,
            kind=row.kind,
            hours_per_week=row.hours,
            start_date=row.start,
            end_date=row.end,
            created_by=user,
        )
        # The placement's own target-group rule, as placements.services applies it.
        placement.refresh_in_target_group()
        return _Planned(row.line, placement, changed=None)
    placement = row.match
    placement.citizen = row.citizen  # the locked citizen, so nothing is loaded again
    was = {"hours_per_week": placement.hours_per_week, "end_date": placement.end_date,
           "in_target_group": placement.in_target_group}
    placement.hours_per_week, placement.end_date = row.hours, row.period_end
    placement.refresh_in_target_group()
    changed = [name for name, value in was.items() if getattr(placement, name) != value]
    shrinks = "end_date" in changed and (was["end_date"] is None or placement.end_date < was["end_date"])
    return _Planned(row.line, placement, changed=changed, shrinks=shrinks)


def _save(employers, planned, user, municipality, counted):
    for employer in employers:
        employer.save()
    # PostgreSQL checks the no-overlap constraint on every statement: shorten periods first,
    # then lengthen them, then add new placements, so no moment has two periods overlapping.
    order = sorted(planned, key=lambda item: (item.changed is None, not item.shrinks))
    saved = []
    for item in counted(order):
        if item.changed is None:
            item.placement.save()
            action = AccessLog.Action.CREATE
        elif item.changed:
            item.placement.save(update_fields=[*item.changed, "updated_at"])
            action = AccessLog.Action.UPDATE
        else:
            continue
        saved.append(item.placement)
        access_log_record(
            user=user, action=action, obj=item.placement, municipality=municipality, purpose=PURPOSE
        )
    # As placements.services does for one placement: a new or changed placement plans its
    # follow-ups, and its citizen's status follows, in this same transaction. A file is often
    # history: no regular follow-up is planned that would already be overdue today.
    today = timezone.localdate()
    for placement in saved:
        followups_schedule(placement=placement, not_before=today)
    if saved:
        citizens_status_refresh(citizen_ids=sorted({placement.citizen_id for placement in saved}))
