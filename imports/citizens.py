"""Importing citizens (shared/formats.md, "citizens"): every row is validated first, then the
whole file is saved in one transaction, or nothing is. The check pass reads the file as a
stream, a batch of rows at a time (imports.common), with one look-up of the citizens by CPR
hash a batch, and spools what it would write; the save pass writes the citizens and their
audit rows in bulk.

A row whose CPR number already exists in its municipality updates that citizen. An empty
cell leaves the citizen's value as it is (a file never erases what a consultant typed).

The responsible consultant is the one a row names; a row that names none gets the import's
own consultant (chosen on the upload form, `--consultant` on the command line), if it has one:
every citizen it creates, and every citizen it finds without a consultant. A citizen who has a
consultant keeps them, so importing a colleague's citizens again never takes their caseload.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership, Municipality, Role
from audit.models import AccessLog
from audit.services import access_log_record_many
from citizens import cpr as cprlib
from citizens.models import Citizen
from core.limits import MAX_WEEKLY_HOURS
from core.validators import validate_recorded_date
from placements.models import Placement

from .parsing import (
    Cells,
    Column,
    date_parser,
    echo,
    parse_code,
    parse_cpr,
    parse_decimal,
    parse_text,
)
from .common import (
    BATCH_SIZE,
    PURPOSE,
    UPDATE_BATCH_SIZE,
    KeyIndex,
    batches,
    chunked,
    field_errors,
    import_whole_file,
    masked,
    plan_row,
)
from .report import ImportReport

COLUMNS = (
    Column("cpr", required=True),
    Column("first_name", required=True),
    Column("last_name", required=True),
    Column("municipality", required=True),
    Column("unemployed_since"),
    Column("flexjob_approved_on"),
    Column("weekly_hours"),
    Column("phone"),
    Column("email"),
    Column("consultant"),
)
# The citizen's own fields a row may set; the column has the field's name.
FIELDS = ("first_name", "last_name", "unemployed_since", "flexjob_approved_on", "weekly_hours", "phone", "email")
# The column a row can correct when the planned citizen would break one of the model's constraints.
_CONSTRAINT_COLUMNS = {"citizen_weekly_hours_range": "weekly_hours"}
# One citizen per CPR number in a municipality: _resolve checks that against the locked
# citizens (and the file's own lines) without a query per row.
_CHECKED_HERE = {"cpr_hash"}
# Dates something happened on, as the citizen form takes them (core.validators).
parse_recorded_date = date_parser(validate_recorded_date)


@dataclass
class _Row:
    line: int
    cpr: str | None
    cpr_hash: str | None
    code: int | None
    fields: dict
    consultant: str | None
    ok: bool


@dataclass
class _Planned:
    line: int
    citizen: Citizen
    municipality: Municipality
    changed: list | None  # None for a new citizen
    cpr: str | None = None  # a new citizen's


def citizens_import(
    *, user, source, filename, municipalities, consultant=None, dry_run=False, progress=None, batch_size=None
):
    """Import a citizens file on behalf of `user` into `municipalities` (a queryset of the
    municipalities the user may write to), giving `consultant` (a user, or None) to the
    citizens whose rows name no consultant (see the module's docstring). Returns an
    ImportReport; saves only when it is ok. `progress(done, total)` hears how far it is
    (common.import_whole_file); `batch_size` rows are checked and saved at a time
    (common.BATCH_SIZE by default)."""
    report = ImportReport("citizens", dry_run=dry_run)
    return import_whole_file(
        report,
        user,
        source=source,
        filename=filename,
        columns=COLUMNS,
        plan=lambda table, counted, spool: _plan(
            table, municipalities, consultant, report, counted, spool, batch_size or BATCH_SIZE
        ),
        save=lambda planned, counted: _save(planned, user, counted),
        dry_run=dry_run,
        progress=progress,
    )


def _parse(row, report):
    cells = Cells(row, report)
    cpr = cells.take("cpr", parse_cpr, required=True)
    if cpr and not cprlib.cpr_passes_modulus11(cpr):
        report.warning(row.line, "cpr", _(
            "CPR-nummeret %(cpr)s opfylder ikke modulus 11-kontrollen. Det er i orden for numre "
            "udstedt efter 2007, men kontrollér at det er rigtigt."
        ) % {"cpr": masked(cpr)})
    fields = {
        "first_name": cells.take("first_name", required=True),
        "last_name": cells.take("last_name", required=True),
        "unemployed_since": cells.take("unemployed_since", parse_recorded_date),
        "flexjob_approved_on": cells.take("flexjob_approved_on", parse_recorded_date),
        "weekly_hours": cells.take("weekly_hours", parse_decimal),
        "phone": cells.take("phone", parse_text),
        "email": cells.take("email", parse_text),
    }
    fields = {name: value for name, value in fields.items() if value is not None}
    hours = fields.get("weekly_hours")
    if hours is not None and not 0 < hours <= MAX_WEEKLY_HOURS:
        cells.fail("weekly_hours", _("Timer om ugen skal være over 0 og højst 37."))
        del fields["weekly_hours"]
    # The model's own field checks (lengths, e-mail, decimal places) on the cells given.
    for column, message in field_errors(Citizen, fields):
        cells.fail(column, message)
    return _Row(
        line=row.line,
        cpr=cpr,
        cpr_hash=cprlib.cpr_hash(cpr) if cpr else None,
        code=cells.take("municipality", parse_code, required=True),
        fields=fields,
        consultant=cells.take("consultant", parse_text),
        ok=cells.ok,
    )


class _Plan:
    """What the rows of one file refer to, looked up a batch at a time and kept across the file
    (a few municipalities and consultants, never a citizen), and the spool of what to write."""

    # The consultants' names kept at most: a file names a handful; one that names thousands
    # is looked up again batch by batch.
    MAX_NAMES = 10_000

    def __init__(self, municipalities, default_consultant, spool, batch_size):
        self.spool, self.batch_size = spool, batch_size
        self.writable, self.default_consultant = municipalities, default_consultant
        self.municipalities = {}  # code → the Municipality, or None where the user may not import
        self.elsewhere = set()  # codes of municipalities the user may not import to
        self.consultants, self.names = {}, set()
        self.default_in = _consultant_of(default_consultant, municipalities)

    def municipality(self, code):
        return self.municipalities.get(code)

    def learn_municipalities(self, codes):
        new = codes - self.municipalities.keys()
        if not new:
            return
        found = {m.code: m for m in self.writable.filter(code__in=new)}
        if new - found.keys():
            self.elsewhere |= set(
                Municipality.objects.filter(code__in=new - found.keys()).values_list("code", flat=True)
            )
        self.municipalities.update({code: found.get(code) for code in new})

    def consultant(self, username, municipality):
        return self.consultants.get((username, municipality.pk)) or self.consultants.get(
            (username.lower(), municipality.pk)
        )

    def learn_consultants(self, rows):
        """(username, municipality id) → the user, for the consultants the rows name, by the
        username as written and by its lower case."""
        wanted = {row.consultant.lower() for row in rows if row.consultant}
        names = wanted - self.names
        if not names:
            return
        if len(self.names) + len(names) > self.MAX_NAMES:  # forget the others, not the batch's
            self.consultants, self.names, names = {}, set(), wanted
        self.names |= names
        memberships = (
            Membership.objects.filter(role=Role.CONSULTANT, municipality__in=self.writable)
            .annotate(username_lower=Lower("user__username"))
            .filter(username_lower__in=names)
            .select_related("user")
        )
        for m in memberships:
            # Usernames are case-sensitive: an exact match wins over one that differs in case.
            self.consultants.setdefault((m.username_lower, m.municipality_id), m.user)
            self.consultants[(m.user.username, m.municipality_id)] = m.user


def _consultant_of(user, municipalities):
    """The ids of the municipalities among `municipalities` where `user` is an active consultant."""
    if user is None:
        return set()
    return set(
        Membership.objects.filter(
            user=user, user__is_active=True, role=Role.CONSULTANT, municipality__in=municipalities
        ).values_list("municipality_id", flat=True)
    )


def _plan(table, municipalities, default_consultant, report, counted, spool, batch_size):
    """The check pass: every row checked, a batch at a time, and counted as it would be saved;
    the citizens to create or update kept in `spool` (unless it is None) while all are good."""
    plan = _Plan(municipalities, default_consultant, spool, batch_size)
    seen = KeyIndex(table.row_count)  # (municipality id, CPR hash) → the first line with it
    for batch in batches(counted(table.rows()), batch_size):
        records = []
        for item in _resolve(plan, batch, report, seen):
            if plan_row(report, item.line, item.citizen, item.changed, _CONSTRAINT_COLUMNS, exclude=_CHECKED_HERE):
                records += _records(item, spool)
        if spool is not None and report.ok:  # once a row is bad, nothing will be written
            spool.add(len(batch), records)
    return plan


def _resolve(plan, batch, report, seen):
    """The batch's rows as citizens to create or update (_Planned), each problem reported on
    its line: a CPR number an earlier line has (`seen`) among them. The citizens found are
    locked until the import is saved."""
    rows = [_parse(row, report) for row in batch]
    plan.learn_municipalities({row.code for row in rows if row.code is not None})
    for row in rows:
        if row.code is not None and plan.municipality(row.code) is None:
            row.ok = False
            if row.code in plan.elsewhere:
                message = _("Du kan ikke importere borgere til kommune %(code)s.")
            else:
                message = _("Kommunekoden %(code)s findes ikke.")
            report.error(row.line, "municipality", message % {"code": row.code})
    plan.learn_consultants(rows)
    existing = _existing_citizens(rows, plan)
    default_consultant = plan.default_consultant
    for row in rows:
        municipality = plan.municipality(row.code)
        if municipality is None:
            continue
        consultant = None
        if row.consultant:
            consultant = plan.consultant(row.consultant, municipality)
            if consultant is None:
                row.ok = False
                report.error(row.line, "consultant", _(
                    "Brugeren «%(username)s» er ikke jobkonsulent i kommune %(code)s."
                ) % {"username": echo(row.consultant, 150), "code": municipality.code})
        if row.cpr is None:
            continue
        first = seen.setdefault((municipality.pk, row.cpr_hash), row.line)
        if first != row.line:
            report.error(row.line, "cpr", _("CPR-nummeret står også på linje %(line)s.") % {"line": first})
            continue
        if not row.ok:
            continue
        citizen = existing.get((municipality.pk, row.cpr_hash))
        if (
            consultant is None
            and default_consultant is not None
            and municipality.pk not in plan.default_in
            and (citizen is None or citizen.consultant_id is None)
        ):
            # The import's consultant would be given here, and cannot be.
            report.error(row.line, "municipality", _(
                "Den valgte konsulent, %(name)s, er ikke aktiv jobkonsulent i kommune %(code)s. Vælg "
                "en anden konsulent, eller skriv konsulentens brugernavn i kolonnen consultant."
            ) % {"name": default_consultant.get_full_name() or default_consultant.username, "code": municipality.code})
            continue
        yield _apply(row, municipality, citizen, consultant, default_consultant)


def _existing_citizens(rows, plan):
    """(municipality id, CPR hash) → the citizen, for the rows of one batch, locked until the
    import is saved."""
    wanted = {
        (plan.municipality(row.code).pk, row.cpr_hash)
        for row in rows
        if row.cpr_hash and plan.municipality(row.code) is not None
    }
    found = {}
    for municipality_id in {municipality_id for municipality_id, _hash in wanted}:
        hashes = sorted(cpr_hash for m, cpr_hash in wanted if m == municipality_id)
        for chunk in chunked(hashes):
            citizens = Citizen.objects.select_for_update().filter(municipality_id=municipality_id, cpr_hash__in=chunk)
            found.update({(c.municipality_id, c.cpr_hash): c for c in citizens})
    return found


def _apply(row, municipality, citizen, consultant, default_consultant):
    if citizen is None:
        citizen = Citizen(municipality=municipality, consultant=consultant or default_consultant, **row.fields)
        # The number is encrypted only to be saved (_records): that is the costly part.
        citizen.cpr_hash, citizen.birth_date = row.cpr_hash, cprlib.cpr_birth_date(row.cpr)
        return _Planned(row.line, citizen, municipality, changed=None, cpr=row.cpr)
    changed = [name for name, value in row.fields.items() if getattr(citizen, name) != value]
    for name in changed:
        setattr(citizen, name, row.fields[name])
    if consultant is None and citizen.consultant_id is None:
        consultant = default_consultant
    if consultant is not None and citizen.consultant_id != consultant.pk:
        citizen.consultant = consultant
        changed.append("consultant")
    return _Planned(row.line, citizen, municipality, changed=changed)


# What the spool keeps of a citizen to create: every column a row can set, the CPR number as
# stored (encrypted, its hash and birth date); and of a citizen to update, the columns changed.
_CREATED = ("municipality_id", "consultant_id", "cpr_encrypted", "cpr_hash", "birth_date", *FIELDS)
_CREATE, _UPDATE = "create", "update"


def _records(item, spool):
    """What the spool keeps of a planned citizen: nothing for one unchanged (or a dry run)."""
    citizen = item.citizen
    if spool is None or item.changed == []:
        return []
    if item.changed is None:
        citizen.cpr_encrypted = cprlib.cpr_encrypt(item.cpr)
        return [(_CREATE, tuple(getattr(citizen, name) for name in _CREATED))]
    attnames = [Citizen._meta.get_field(name).attname for name in item.changed]
    return [(_UPDATE, (citizen.pk, citizen.municipality_id, tuple(item.changed), tuple(getattr(citizen, a) for a in attnames)))]


def _save(planned, user, counted):
    """The save pass: the spooled citizens created and updated in bulk, a batch at a time, with
    their audit rows (the citizens updated are still locked by the check pass)."""
    now = timezone.now()
    for records in planned.spool.replay(counted):
        created = [Citizen(**dict(zip(_CREATED, values))) for kind, values in records if kind == _CREATE]
        updated = []
        for kind, values in records:
            if kind == _UPDATE:
                pk, municipality_id, changed, new = values
                attnames = [Citizen._meta.get_field(name).attname for name in changed]
                citizen = Citizen(pk=pk, municipality_id=municipality_id, updated_at=now, **dict(zip(attnames, new)))
                updated.append((changed, citizen))
        _write(created, updated, user, planned.batch_size)


def _write(created, updated, user, batch_size):
    """Write a batch: the new citizens, then the changed columns of the others, each with its
    audit row; `updated` holds (the names of the columns changed, the citizen)."""
    if created:
        Citizen.objects.bulk_create(created, batch_size=batch_size)
        access_log_record_many(user=user, action=AccessLog.Action.CREATE, objs=created, purpose=PURPOSE)
    if not updated:
        return
    # Only the columns each row changed, as save(update_fields=…) would: one UPDATE for the
    # citizens that changed the same columns. bulk_update sets no auto_now column itself.
    by_columns = defaultdict(list)
    for changed, citizen in updated:
        by_columns[tuple(sorted(changed))].append(citizen)
    for columns, citizens in by_columns.items():
        Citizen.objects.bulk_update(citizens, [*columns, "updated_at"], batch_size=UPDATE_BATCH_SIZE)
    access_log_record_many(
        user=user, action=AccessLog.Action.UPDATE, objs=[citizen for _changed, citizen in updated], purpose=PURPOSE
    )
    # As citizens.services.citizen_update does: placements follow a corrected unemployment date.
    corrected = [citizen.pk for changed, citizen in updated if "unemployed_since" in changed]
    for chunk in chunked(corrected):
        Placement.objects.filter(citizen_id__in=chunk).refresh_in_target_group()
