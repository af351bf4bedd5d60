"""Writing the log. `access_log_record` is called inside the transaction of the write it
logs, and once for each page or export that shows a citizen's personal data (one row, with
the ids of the citizens it showed); `access_log_record_many` writes the rows of many records
written at once (an import) in bulk; `sign_in_record` from the sign-in signals."""

from collections import namedtuple

from django.contrib.auth import get_user_model
from django.db import transaction

from accounts.access import user_roles
from accounts.models import Role
from core.cpr_text import is_cpr_like, mask_cpr_like
from core.http import client_ip
from core.validators import CONTROL_CHARACTERS

from .models import CITIZEN_MODEL, UNKNOWN_USERNAME, AccessLog, AccessLogCitizen, SignInEvent

# The role a user acts in when they hold several: the widest first.
_ROLE_ORDER = (Role.ADMIN, Role.CONSULTANT, Role.MANAGER, Role.LEADER)

CPR_SEARCH = "CPR-søgning"
PURPOSE_MAX_LENGTH = AccessLog._meta.get_field("purpose").max_length

# A citizen a page showed, where no citizen object is at hand (the log's own pages).
ShownCitizen = namedtuple("ShownCitizen", ["pk", "municipality_id"])


def describe_search(text):
    """A search text as the log keeps it: anything that is or may be (part of) a CPR number
    (core.cpr_text), alone or among words, only as "CPR-søgning". A search box posts on every
    keystroke, so a number typed arrives in pieces and in every shape. Control characters
    (a NUL no database column takes) become spaces."""
    text = " ".join(CONTROL_CHARACTERS.sub(" ", text or "").split())
    if is_cpr_like(text):
        return CPR_SEARCH
    return text


def _role(user):
    held = user_roles(user)
    return next((role for role in _ROLE_ORDER if role in held), "")


def citizen_of(obj, municipality_id=None):
    """The citizen a record is about, as a ShownCitizen: the record itself when it is a
    citizen, or the citizen it belongs to (a placement's, an enrolment's, a case note's); None
    for a record of no citizen. The municipality is the citizen's own when the citizen is at
    hand (the record, or its `citizen` selected with it), else `municipality_id` (the row's)
    when given; else the citizen is read (one query).

    The one answer for the log's rows (`access_log_record`) and the admin's pages
    (audit.admin_logging)."""
    if obj is None:
        return None
    if obj._meta.label == CITIZEN_MODEL:
        return ShownCitizen(obj.pk, obj.municipality_id)
    citizen_id = getattr(obj, "citizen_id", None)
    if citizen_id is None:
        return None
    if municipality_id is None or obj._meta.get_field("citizen").is_cached(obj):
        return ShownCitizen(citizen_id, obj.citizen.municipality_id)
    return ShownCitizen(citizen_id, municipality_id)


def access_log_record(
    *, user, action, purpose, obj=None, model="", object_id=None, citizen=None, municipality=None, citizens=(),
    query="",
):
    """One row: who, what, when and why, and which citizens it showed.

    `obj` is the record the page is about, or else `model` and `object_id` name it. The
    citizen the row is about (`citizen`, or the one `obj` is or belongs to) is named on the
    row; the citizens a page lists (`citizens`) each in an AccessLogCitizen row, written in
    one INSERT however many. Citizens are objects with `pk` and `municipality_id`.

    `purpose` is required: a readable Danish phrase, as `Purpose` holds them. No text reaches
    the log with a CPR number in clear."""
    if obj is not None:
        model, object_id = obj._meta.label, obj.pk
        if municipality is None:
            municipality = getattr(obj, "municipality_id", None)  # the id: no query for the row
    municipality_id = getattr(municipality, "pk", municipality)
    about = citizen if citizen is not None else citizen_of(obj, municipality_id)
    listed = {c.pk: c.municipality_id for c in citizens}
    if municipality_id is None:
        # A page about one citizen is their municipality's, and so is a list of one municipality's.
        municipalities = {about.municipality_id} if about else set(listed.values())
        municipality_id = municipalities.pop() if len(municipalities) == 1 else None
    purpose = mask_cpr_like(purpose).strip()
    if not purpose or len(purpose) > PURPOSE_MAX_LENGTH:
        # Forms say so to the user (audit.forms.PurposeForm); here it is a programming error.
        raise ValueError(f"Every row of the access log needs a purpose of at most {PURPOSE_MAX_LENGTH} characters.")
    # No savepoint: inside a caller's transaction a failure here fails the whole of it anyway.
    with transaction.atomic(savepoint=False):
        entry = AccessLog.objects.create(
            user=user,
            role=_role(user),
            action=action,
            model=model,
            object_id=object_id,
            municipality_id=municipality_id,
            purpose=purpose,
            query=mask_cpr_like(query)[:200],
            citizen_id=about.pk if about else None,
        )
        AccessLogCitizen.objects.bulk_create(
            AccessLogCitizen(entry=entry, citizen_id=pk, municipality_id=citizen_municipality)
            for pk, citizen_municipality in listed.items()
        )
    return entry


def access_log_record_many(*, user, action, purpose, objs, municipality=None, batch_size=1000):
    """One row for each record of `objs`, as `access_log_record(obj=record, …)` writes it (the
    record, its municipality and the citizen it is or belongs to), written in one INSERT per
    `batch_size` rows: for a service that writes many records at once (an import), inside
    the transaction of those writes. Each record's municipality is `municipality` when given,
    else its own `municipality_id`; a record of a citizen names the citizen without a query
    when its `citizen` is selected with it or the municipality is known.

    `purpose` as for access_log_record: required, a readable phrase, no CPR number in clear.
    Returns how many rows were written."""
    purpose = mask_cpr_like(purpose).strip()
    if not purpose or len(purpose) > PURPOSE_MAX_LENGTH:
        raise ValueError(f"Every row of the access log needs a purpose of at most {PURPOSE_MAX_LENGTH} characters.")
    role = _role(user)
    given = getattr(municipality, "pk", municipality)
    rows = []
    for obj in objs:
        municipality_id = given if given is not None else getattr(obj, "municipality_id", None)
        about = citizen_of(obj, municipality_id)
        if municipality_id is None and about is not None:
            municipality_id = about.municipality_id
        rows.append(AccessLog(
            user=user,
            role=role,
            action=action,
            model=obj._meta.label,
            object_id=obj.pk,
            municipality_id=municipality_id,
            purpose=purpose,
            citizen_id=about.pk if about else None,
        ))
    with transaction.atomic(savepoint=False):
        AccessLog.objects.bulk_create(rows, batch_size=batch_size)
    return len(rows)


def _named(typed):
    """(user, name kept) for a name typed: the user whose name it is, the case aside (an exact
    match first); a name several users have (the case aside) as typed, naming none of them;
    any other name as UNKNOWN_USERNAME."""
    User = get_user_model()
    candidates = list(User.objects.filter(**{f"{User.USERNAME_FIELD}__iexact": typed})) if typed else []
    exact = [user for user in candidates if user.get_username() == typed]
    if exact or len(candidates) == 1:
        user = (exact or candidates)[0]
        return user, user.get_username()
    if candidates:
        return None, typed
    return None, UNKNOWN_USERNAME if typed else ""


def sign_in_record(*, kind, request=None, user=None, username="", ip_address=None):
    """A sign-in event. The name typed at a failed attempt or a lockout is kept only when it is
    a user's (the case aside): people type their password, or a CPR number, into the name box,
    and managers read these events beside the address. Any other name is kept as
    UNKNOWN_USERNAME."""
    if user is None:
        user, username = _named((username or "").strip()[:150])
    else:
        username = user.get_username()
    if ip_address is None and request is not None:
        ip_address = client_ip(request)
    return SignInEvent.objects.create(kind=kind, user=user, username=username, ip_address=ip_address or None)
