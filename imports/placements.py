"""Importing placements (shared/formats.md, "placements") into one municipality: every row is
validated first, then the whole file is saved in one transaction, or nothing is. The check
pass reads the file as a stream, a batch of rows at a time (imports.common), with a look-up of
each kind a batch, and spools what it would write; the save pass writes the placements, their
audit rows, follow-ups and citizens' statuses in bulk.

A row with the same citizen, employer, kind and start date as an existing placement updates
it; an empty end date leaves the placement's end date as it is. A CVR number the
municipality does not know yet creates the employer from the row's name and sector.
"""

from array import array
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import AccessLog
from audit.services import access_log_record_many
from citizens import cpr as cprlib
from citizens.models import Citizen
from core.limits import MAX_WEEKLY_HOURS
from core.validators import validate_planned_date
from employers.models import Employer
from placements.models import OVERLAP_MESSAGE, Placement
from placements.services import citizens_status_refresh, followups_schedule_many
from placements.signals import placements_changed_send

from .common import (
    BATCH_SIZE,
    PURPOSE,
    U32,
    UPDATE_BATCH_SIZE,
    KeyIndex,
    batches,
    chunked,
    field_errors,
    import_whole_file,
    masked,
    messages_by_field,
    plan_row,
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
    cpr_hash: str | None
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
    employer_id: int | None = None  # None for an employer the file creates
    new_employer: int | None = None  # the index of the employer the file creates
    match: Placement | None = None
    registered: list | tuple = ()  # the registered placements of its citizen at its employer

    @property
    def pair(self):
        """The citizen and employer, whether the employer is saved yet or comes from the file:
        the key of the file's own overlap check."""
        if self.employer_id is not None:
            return (self.citizen.pk, self.employer_id)
        return (self.citizen.pk, "new", self.new_employer)

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
    new_cvr: str | None = None  # the CVR number of the employer the file creates for it


def placements_import(*, user, source, filename, municipality, dry_run=False, progress=None, batch_size=None):
    """Import a placements file on behalf of `user` into `municipality`. Returns an
    ImportReport; saves only when it is ok. `progress(done, total)` hears how far it is
    (common.import_whole_file); `batch_size` rows are checked and saved at a time
    (common.BATCH_SIZE by default)."""
    report = ImportReport("placements", dry_run=dry_run)
    return import_whole_file(
        report,
        user,
        source=source,
        filename=filename,
        columns=COLUMNS,
        plan=lambda table, counted, spool: _plan(
            table, municipality, user, report, counted, spool, batch_size or BATCH_SIZE
        ),
        save=lambda plan, counted: _save(plan, user, municipality, counted),
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
    _check_fields(cells, kind=stored_kind, hours_per_week=hours, start_date=start, end_date=end)
    cpr = cells.take("cpr", parse_cpr, required=True)
    return _Row(
        line=row.line,
        cpr=cpr,
        cpr_hash=cprlib.cpr_hash(cpr) if cpr else None,
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


def _check_fields(cells, **values):
    """The model's own field checks (decimal places, kinds) on the cells given."""
    values = {name: value for name, value in values.items() if value is not None and name not in cells.failed}
    for column, message in field_errors(Placement, values):
        cells.fail(column, message)


class _Plan:
    """What the check pass leaves for the save pass: the employers the file creates (name,
    sector and defining line for each new CVR number), the spool of what to write, and how
    many of its updates shorten a placement."""

    def __init__(self, municipality, spool, batch_size):
        self.municipality, self.spool, self.batch_size = municipality, spool, batch_size
        self.new_employers = {}  # CVR → (name, sector, line, index)
        self.shrinking = 0


_KINDS = tuple(Placement.Kind.values)  # a period's kind, by its number


class _Overlaps:
    """The file's own periods, for the overlap check across batches: each row's period in plain
    arrays, chained for each citizen and employer (_Row.pair) from a KeyIndex, a few dozen bytes
    a row; the registered placements the rows update; and the registered placements a row
    overlaps, kept until the end of the file says whether a later row updates them."""

    def __init__(self, rows):
        self.first = KeyIndex(rows)  # pair → the number of its first period
        self.kinds, self.starts, self.ends = array("B"), array(U32), array(U32)  # ends: 0 while open
        self.lines, self.next = array(U32), array("l")  # next: the pair's next period, or -1
        self.updated = KeyIndex()  # (pk,) of each registered placement a row updates
        self.conflicts = []  # (line, pk of the registered placement it overlaps)

    def earlier(self, pair):
        """(kind, start, end, line) of the pair's periods so far, in the order of the file."""
        number = self.first.get(pair, -1)
        while number >= 0:
            end = self.ends[number]
            yield (
                _KINDS[self.kinds[number]],
                date.fromordinal(self.starts[number]),
                date.fromordinal(end) if end else None,
                self.lines[number],
            )
            number = self.next[number]

    def add(self, row):
        number = len(self.lines)
        self.kinds.append(_KINDS.index(row.kind))
        self.starts.append(row.start.toordinal())
        self.ends.append(row.period_end.toordinal() if row.period_end else 0)
        self.lines.append(row.line)
        self.next.append(-1)
        last = self.first.setdefault(row.pair, number)
        if last != number:
            while self.next[last] >= 0:
                last = self.next[last]
            self.next[last] = number


def _plan(table, municipality, user, report, counted, spool, batch_size):
    """The check pass: every row checked, a batch at a time, against the database and the
    file's other rows, and counted as it would be saved; the placements to create or update
    kept in `spool` (unless it is None) while all are good."""
    plan = _Plan(municipality, spool, batch_size)
    overlaps = _Overlaps(table.row_count)
    for batch in batches(counted(table.rows()), batch_size):
        records = []
        for row in _resolve(plan, batch, report):
            if row.ok:
                _check_overlaps(row, overlaps, report)
            if not row.ok:
                continue
            item = _apply(row, user)
            if plan_row(report, row.line, item.placement, item.changed, _CONSTRAINT_COLUMNS):
                records += _records(item, spool)
                plan.shrinking += item.shrinks
        if spool is not None and report.ok:  # once a row is bad, nothing will be written
            spool.add(len(batch), records)
    # A registered placement that a later row updated does not count against an earlier row.
    for line in sorted({line for line, pk in overlaps.conflicts if (pk,) not in overlaps.updated}):
        report.error(line, "start_date", OVERLAP_MESSAGE)
    report.employers_created = len(plan.new_employers)
    return plan


def _resolve(plan, batch, report):
    """The batch's rows (_Row), each with its citizen, its employer and the placement it updates
    (if any) found, and each problem reported on its line. The citizens are locked, as
    placements.services locks them, so no placement for them can be registered while the file
    is checked and saved."""
    municipality = plan.municipality
    rows = [_parse(row, report) for row in batch]
    citizens = _citizens(rows, municipality)
    employers = _employers(rows, municipality, plan.new_employers)
    existing = _placements({c.pk for c in citizens.values()}, set(employers.values()))
    # Each row finds its citizen, employer and the placement it updates, so the overlap check
    # compares each row with the periods as they will be after the import.
    for row in rows:
        if row.cpr is not None:
            row.citizen = citizens.get(row.cpr_hash)
            if row.citizen is None:
                row.ok = False
                report.error(row.line, "cpr", _(
                    "Der findes ingen borger med CPR-nummeret %(cpr)s i kommunen."
                ) % {"cpr": masked(row.cpr)})
        if row.cvr is not None:
            row.employer_id = employers.get(row.cvr)
            if row.employer_id is None:
                row.new_employer = _new_employer(row, municipality, plan.new_employers, report)
        if not row.ok:
            continue
        if row.employer_id is not None:
            row.match = existing["match"].get((row.citizen.pk, row.employer_id, row.kind, row.start))
            row.registered = existing["pair"].get((row.citizen.pk, row.employer_id), ())
        if row.period_end is not None and row.period_end < row.start:
            row.ok = False
            report.error(row.line, "end_date", _("Slutdatoen må ikke ligge før startdatoen."))
    return rows


def _citizens(rows, municipality):
    """CPR hash → the municipality's citizen (what the import reads of one), locked."""
    hashes = {row.cpr_hash for row in rows if row.cpr_hash}
    found = {}
    for chunk in chunked(sorted(hashes)):
        citizens = (
            Citizen.objects.select_for_update()
            .filter(municipality=municipality, cpr_hash__in=chunk)
            .only("pk", "municipality_id", "cpr_hash", "unemployed_since")
        )
        found.update({c.cpr_hash: c for c in citizens})
    return found


def _employers(rows, municipality, new_employers):
    """CVR number → the municipality's employer's id, but for `new_employers`' CVR numbers
    (those the file creates)."""
    numbers = {row.cvr for row in rows if row.cvr} - new_employers.keys()
    found = {}
    for chunk in chunked(sorted(numbers)):
        found.update(Employer.objects.filter(municipality=municipality, cvr__in=chunk).values_list("cvr", "pk"))
    return found


def _placements(citizen_ids, employer_ids):
    """The registered placements of these citizens at these employers: by (citizen, employer,
    kind, start date) the one a row updates ("match"), and by (citizen, employer) all ("pair")."""
    match, pair = {}, defaultdict(list)
    for chunk in chunked(sorted(citizen_ids)):
        placements = Placement.objects.filter(citizen_id__in=chunk, employer_id__in=employer_ids).order_by("pk")
        for placement in placements:
            match.setdefault((placement.citizen_id, placement.employer_id, placement.kind, placement.start_date), placement)
            pair[(placement.citizen_id, placement.employer_id)].append(placement)
    return {"match": match, "pair": pair}


def _new_employer(row, municipality, new_employers, report):
    """The index of the employer a row's unknown CVR number creates: the first row that names
    it defines it. None where the row cannot (its problems reported)."""
    if row.cvr in new_employers:
        name, sector, line, index = new_employers[row.cvr]
        if row.employer_name and row.employer_name != name:
            row.ok = False
            report.error(row.line, "employer_name", _(
                "Virksomheden med CVR-nummer %(cvr)s har et andet navn på linje %(line)s."
            ) % {"cvr": row.cvr, "line": line})
        if row.sector and row.sector != sector:
            row.ok = False
            report.error(row.line, "sector", _(
                "Virksomheden med CVR-nummer %(cvr)s har en anden sektor på linje %(line)s."
            ) % {"cvr": row.cvr, "line": line})
        return index
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
    index = len(new_employers)
    new_employers[row.cvr] = (row.employer_name, row.sector, row.line, index)
    return index


def _check_overlaps(row, overlaps, report):
    """A citizen cannot hold two overlapping placements at one employer: neither with another
    row of the file nor with a placement already registered (unless a row of the file updates
    that one: the end of the file tells, _plan)."""
    if row.match is not None:
        overlaps.updated.setdefault((row.match.pk,), 1)
    end = row.period_end
    for kind, start, other_end, line in overlaps.earlier(row.pair):
        if (kind, start) == (row.kind, row.start):
            report.error(row.line, "start_date", _("Samme ansættelse står også på linje %(line)s.") % {"line": line})
            row.ok = False
            return
        if _overlap(row.start, end, start, other_end):
            report.error(row.line, "start_date", _(
                "Ansættelsen overlapper ansættelsen på linje %(line)s hos samme virksomhed."
            ) % {"line": line})
            row.ok = False
            return
    for placement in row.registered:
        if (
            (placement.pk,) not in overlaps.updated
            and _overlap(row.start, end, placement.start_date, placement.end_date)
        ):
            overlaps.conflicts.append((row.line, placement.pk))
    overlaps.add(row)


def _overlap(start, end, other_start, other_end):
    """Whether two periods share a day; an open end runs on (as Placement.objects.overlapping)."""
    return (other_end is None or other_end >= start) and (end is None or other_start <= end)


def _apply(row, user):
    if row.match is None:
        placement = Placement(
            municipality_id=row.citizen.municipality_id,
            citizen=row.citizen,
            employer_id=row.employer_id,
            kind=row.kind,
            hours_per_week=row.hours,
            start_date=row.start,
            end_date=row.end,
            created_by=user,
        )
        # The placement's own target-group rule, as placements.services applies it.
        placement.refresh_in_target_group()
        return _Planned(row.line, placement, changed=None, new_cvr=row.cvr if row.employer_id is None else None)
    placement = row.match
    placement.citizen = row.citizen  # the citizen read with the row, so nothing is loaded again
    was = {"hours_per_week": placement.hours_per_week, "end_date": placement.end_date,
           "in_target_group": placement.in_target_group}
    placement.hours_per_week, placement.end_date = row.hours, row.period_end
    placement.refresh_in_target_group()
    changed = [name for name, value in was.items() if getattr(placement, name) != value]
    shrinks = "end_date" in changed and (was["end_date"] is None or placement.end_date < was["end_date"])
    return _Planned(row.line, placement, changed=changed, shrinks=shrinks)


# What the spool keeps of a placement to create (and the CVR number of a new employer), and
# of a placement to update: the columns a writer needs of it, as the row leaves them, and the
# names of those that changed.
_CREATED = (
    "municipality_id", "citizen_id", "employer_id", "kind", "hours_per_week", "start_date", "end_date",
    "in_target_group", "created_by_id",
)
_KEPT = (
    "pk", "municipality_id", "citizen_id", "employer_id", "kind", "start_date", "end_date", "hours_per_week",
    "in_target_group", "first_flexjob", "permanent",
)
_CREATE, _UPDATE, _SHORTEN = "create", "update", "shorten"


def _records(item, spool):
    """What the spool keeps of a planned placement: nothing for one unchanged (or a dry run)."""
    placement = item.placement
    if spool is None or item.changed == []:
        return []
    if item.changed is None:
        return [(_CREATE, tuple(getattr(placement, name) for name in _CREATED), item.new_cvr)]
    kind = _SHORTEN if item.shrinks else _UPDATE
    return [(kind, tuple(getattr(placement, name) for name in _KEPT), tuple(item.changed))]


def _save(plan, user, municipality, counted):
    """The save pass: the employers the file creates, then the spooled placements created and
    updated in bulk, a batch at a time, with their audit rows, follow-ups and citizens'
    statuses (the citizens are still locked by the check pass).

    PostgreSQL checks the no-overlap constraint on every statement: the updates that shorten
    a placement are written first (a replay of their own), then whatever lengthens or adds a
    period. Every period is then within its period after the import, which overlaps no other."""
    writer = _Writer(plan, user, municipality, _create_employers(plan, municipality))
    if plan.shrinking:
        for records in plan.spool.replay():
            writer.write([record for record in records if record[0] == _SHORTEN])
    for records in plan.spool.replay(counted):
        writer.write([record for record in records if record[0] != _SHORTEN])
    if writer.start_dates:
        _placements_written(municipality.pk, sorted(writer.start_dates), employer_ids=sorted(writer.employer_ids))


def _create_employers(plan, municipality):
    """CVR number → id of the employers the file creates, created."""
    employers = [
        Employer(municipality=municipality, cvr=cvr, name=name, sector=sector)
        for cvr, (name, sector, _line, _index) in plan.new_employers.items()
    ]
    Employer.objects.bulk_create(employers, batch_size=plan.batch_size)
    return {employer.cvr: employer.pk for employer in employers}


class _Writer:
    """Writes the spooled placements of the save pass, a batch at a time."""

    def __init__(self, plan, user, municipality, new_employers):
        self.plan, self.user, self.municipality, self.new_employers = plan, user, municipality, new_employers
        self.start_dates, self.employer_ids = set(), set()
        # A file is often history: no regular follow-up is planned that would already be
        # overdue today.
        self.today = timezone.localdate()
        self.now = timezone.now()

    def write(self, records):
        created, updated = [], defaultdict(list)  # updated: the changed columns → the placements
        for kind, values, extra in records:
            if kind == _CREATE:
                placement = Placement(**dict(zip(_CREATED, values)))
                if extra is not None:
                    placement.employer_id = self.new_employers[extra]
                created.append(placement)
            else:
                # bulk_update sets no auto_now column itself.
                updated[tuple(sorted(extra))].append(Placement(**dict(zip(_KEPT, values)), updated_at=self.now))
        if created:
            Placement.objects.bulk_create(created, batch_size=self.plan.batch_size)
            access_log_record_many(
                user=self.user, action=AccessLog.Action.CREATE, objs=created, municipality=self.municipality,
                purpose=PURPOSE,
            )
        # Only the columns each row changed: one UPDATE for the placements that changed the same.
        for columns, placements in updated.items():
            Placement.objects.bulk_update(placements, [*columns, "updated_at"], batch_size=UPDATE_BATCH_SIZE)
        changed = [placement for placements in updated.values() for placement in placements]
        if changed:
            access_log_record_many(
                user=self.user, action=AccessLog.Action.UPDATE, objs=changed, municipality=self.municipality,
                purpose=PURPOSE,
            )
        saved = created + changed
        if not saved:
            return
        # As placements.services does for one placement: a new or changed placement plans its
        # follow-ups, and its citizen's status follows, in this same transaction.
        followups_schedule_many(placements=saved, not_before=self.today)
        citizens_status_refresh(citizen_ids=sorted({placement.citizen_id for placement in saved}))
        self.start_dates |= {placement.start_date for placement in saved}
        self.employer_ids |= {placement.employer_id for placement in created}


def _placements_written(municipality_id, start_dates, *, employer_ids=()):
    """Inside the import's transaction, once its placements are written: the kept dashboard
    figures of their start dates and the placement counts of the employers that got new ones
    are counted again (placements.signals), as after any other write of placements.
    `start_dates` are the distinct start dates of the placements created or changed (an
    import never moves a placement to another employer)."""
    placements_changed_send(municipality_id=municipality_id, days=set(start_dates), employer_ids=set(employer_ids))
