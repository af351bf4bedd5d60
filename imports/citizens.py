"""Importing citizens (shared/formats.md, "citizens"): every row is validated first, then the
whole file is saved in one transaction, or nothing is.

A row whose CPR number already exists in its municipality updates that citizen. An empty
cell leaves the citizen's value as it is (a file never erases what a consultant typed).

The responsible consultant is the one a row names; a row that names none gets the import's
own consultant (chosen on the upload form, `--consultant` on the command line), if it has one:
every citizen it creates, and every citizen it finds without a consultant. A citizen who has a
consultant keeps them, so importing a colleague's citizens again never takes their caseload.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from accounts.models import Membership, Municipality, Role
from audit.models import AccessLog
from audit.services import access_log_record
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
from .report import ImportReport
from .common import (
    PURPOSE,
    import_whole_file,
    chunked,
    plan_row,
    masked,
    messages_by_field,
)

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
_FIELD_NAMES = [f.name for f in Citizen._meta.concrete_fields]
# The column a row can correct when the planned citizen would break one of the model's constraints.
_CONSTRAINT_COLUMNS = {"citizen_weekly_hours_range": "weekly_hours"}
# One citizen per CPR number in a municipality: _plan checks that against the locked citizens
# (and the file's own lines) without a query per row.
_CHECKED_HERE = {"cpr_hash"}
# Dates something happened on, as the citizen form takes them (core.validators).
parse_recorded_date = date_parser(validate_recorded_date)


@dataclass
class _Row:
    line: int
    cpr: str | None
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


def citizens_import(*, user, source, filename, municipalities, consultant=None, dry_run=False, progress=None):
    """Import a citizens file on behalf of `user` into `municipalities` (a queryset of the
    municipalities the user may write to), giving `consultant` (a user, or None) to the
    citizens whose rows name no consultant (see the module's docstring). Returns an
    ImportReport; saves only when it is ok. `progress(done, total)` hears how far it is
    (common.import_whole_file)."""
    report = ImportReport("citizens", dry_run=dry_run)
    return import_whole_file(
        report,
        user,
        source=source,
        filename=filename,
        columns=COLUMNS,
        plan=lambda table, counted: _plan(table, municipalities, consultant, report, counted),
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
    try:
        Citizen(**fields).clean_fields(exclude=[f for f in _FIELD_NAMES if f not in fields])
    except ValidationError as error:
        for column, message in messages_by_field(error):
            cells.fail(column, message)
    return _Row(
        line=row.line,
        cpr=cpr,
        code=cells.take("municipality", parse_code, required=True),
        fields=fields,
        consultant=cells.take("consultant", parse_text),
        ok=cells.ok,
    )


def _plan(table, municipalities, default_consultant, report, counted):
    rows = [_parse(row, report) for row in counted(table.rows)]

    codes = {row.code for row in rows if row.code is not None}
    allowed = {m.code: m for m in municipalities.filter(code__in=codes)}
    elsewhere = set(
        Municipality.objects.filter(code__in=codes - allowed.keys()).values_list("code", flat=True)
    ) if codes - allowed.keys() else set()
    for row in rows:
        if row.code is not None and row.code not in allowed:
            row.ok = False
            if row.code in elsewhere:
                message = _("Du kan ikke importere borgere til kommune %(code)s.")
            else:
                message = _("Kommunekoden %(code)s findes ikke.")
            report.error(row.line, "municipality", message % {"code": row.code})

    consultants = _consultants(rows, allowed)
    default_in = _consultant_of(default_consultant, allowed)
    existing = _existing_citizens(rows, allowed)

    planned, seen = [], {}
    for row in rows:
        municipality = allowed.get(row.code)
        if municipality is None:
            continue
        consultant = None
        if row.consultant:
            consultant = consultants.get((row.consultant, municipality.pk)) or consultants.get(
                (row.consultant.lower(), municipality.pk)
            )
            if consultant is None:
                row.ok = False
                report.error(row.line, "consultant", _(
                    "Brugeren «%(username)s» er ikke jobkonsulent i kommune %(code)s."
                ) % {"username": echo(row.consultant, 150), "code": municipality.code})
        if row.cpr is None:
            continue
        key = (municipality.pk, cprlib.cpr_hash(row.cpr))
        if key in seen:
            report.error(row.line, "cpr", _("CPR-nummeret står også på linje %(line)s.") % {"line": seen[key]})
            continue
        seen[key] = row.line
        if not row.ok:
            continue
        citizen = existing.get(key)
        if (
            consultant is None
            and default_consultant is not None
            and municipality.pk not in default_in
            and (citizen is None or citizen.consultant_id is None)
        ):
            # The import's consultant would be given here, and cannot be.
            report.error(row.line, "municipality", _(
                "Den valgte konsulent, %(name)s, er ikke aktiv jobkonsulent i kommune %(code)s. Vælg "
                "en anden konsulent, eller skriv konsulentens brugernavn i kolonnen consultant."
            ) % {"name": default_consultant.get_full_name() or default_consultant.username, "code": municipality.code})
            continue
        item = _apply(row, municipality, citizen, consultant, default_consultant)
        if plan_row(report, row.line, item.citizen, item.changed, _CONSTRAINT_COLUMNS, exclude=_CHECKED_HERE):
            planned.append(item)
    return planned


def _consultants(rows, allowed):
    """(username, municipality id) → the user, for the consultants the file names, by the
    username as written and by its lower case."""
    names = {row.consultant.lower() for row in rows if row.consultant}
    if not names or not allowed:
        return {}
    memberships = (
        Membership.objects.filter(role=Role.CONSULTANT, municipality__in=allowed.values())
        .annotate(username_lower=Lower("user__username"))
        .filter(username_lower__in=names)
        .select_related("user")
    )
    found = {}
    for m in memberships:
        # Usernames are case-sensitive: an exact match wins over one that differs in case.
        found.setdefault((m.username_lower, m.municipality_id), m.user)
        found[(m.user.username, m.municipality_id)] = m.user
    return found


def _consultant_of(user, allowed):
    """The ids of the municipalities among `allowed` where `user` is an active consultant."""
    if user is None or not allowed:
        return set()
    return set(
        Membership.objects.filter(
            user=user, user__is_active=True, role=Role.CONSULTANT, municipality__in=allowed.values()
        ).values_list("municipality_id", flat=True)
    )


def _existing_citizens(rows, allowed):
    """(municipality id, CPR hash) → the citizen, locked until the import is saved."""
    hashes = {cprlib.cpr_hash(row.cpr) for row in rows if row.cpr and row.code in allowed}
    found = {}
    for chunk in chunked(sorted(hashes)):
        citizens = Citizen.objects.select_for_update().filter(
            municipality__in=allowed.values(), cpr_hash__in=chunk
        )
        found.update({(c.municipality_id, c.cpr_hash): c for c in citizens})
    return found


def _apply(row, municipality, citizen, consultant, default_consultant):
    if citizen is None:
        citizen = Citizen(municipality=municipality, consultant=consultant or default_consultant, **row.fields)
        citizen.set_cpr(row.cpr)
        return _Planned(row.line, citizen, municipality, changed=None)
    changed = [name for name, value in row.fields.items() if getattr(citizen, name) != value]
    for name in changed:
        setattr(citizen, name, row.fields[name])
    if consultant is None and citizen.consultant_id is None:
        consultant = default_consultant
    if consultant is not None and citizen.consultant_id != consultant.pk:
        citizen.consultant = consultant
        changed.append("consultant")
    return _Planned(row.line, citizen, municipality, changed=changed)


def _save(planned, user, counted):
    corrected = []
    for item in counted(planned):
        if item.changed is None:
            item.citizen.save()
            action = AccessLog.Action.CREATE
        elif item.changed:
            item.citizen.save(update_fields=[*item.changed, "updated_at"])
            action = AccessLog.Action.UPDATE
            if "unemployed_since" in item.changed:
                corrected.append(item.citizen.pk)
        else:
            continue
        access_log_record(
            user=user, action=action, obj=item.citizen, municipality=item.municipality, purpose=PURPOSE
        )
    # As citizens.services.citizen_update does: placements follow a corrected unemployment date.
    for chunk in chunked(corrected):
        Placement.objects.filter(citizen_id__in=chunk).refresh_in_target_group()
