"""Writing the log. `access_log_record` is called inside the transaction of the write it
logs, and once for each page or export that shows a citizen's personal data (one row, with
the ids of the citizens it showed); `sign_in_record` from the sign-in signals."""

from collections import namedtuple

from django.contrib.auth import get_user_model
from django.db import transaction

from accounts.access import user_roles
from accounts.models import Role
from core.http import client_ip

from .models import CITIZEN_MODEL, AccessLog, AccessLogCitizen, SignInEvent, redact_cpr

# The role a user acts in when they hold several: the widest first.
_ROLE_ORDER = (Role.ADMIN, Role.CONSULTANT, Role.MANAGER, Role.LEADER)

CPR_SEARCH = "CPR-søgning"
PURPOSE_MAX_LENGTH = AccessLog._meta.get_field("purpose").max_length

# A citizen a page showed, where no citizen object is at hand (the log's own pages).
ShownCitizen = namedtuple("ShownCitizen", ["pk", "municipality_id"])


def describe_search(text):
    """A search text as the log keeps it: a CPR number, alone or among words, only as
    "CPR-søgning"."""
    text = " ".join((text or "").split())
    if redact_cpr(text) != text:
        return CPR_SEARCH
    return text


def _role(user):
    held = user_roles(user)
    return next((role for role in _ROLE_ORDER if role in held), "")


def _citizen_of(obj, municipality_id):
    """The citizen a record is about, as (id, municipality id): the citizen itself, or the
    one a placement, enrolment or case note belongs to (of the row's municipality); or None."""
    if obj is None:
        return None
    if obj._meta.label == CITIZEN_MODEL:
        return obj.pk, obj.municipality_id
    citizen_id = getattr(obj, "citizen_id", None)
    if citizen_id is not None and municipality_id is not None:
        return citizen_id, municipality_id
    return None


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
    about = (citizen.pk, citizen.municipality_id) if citizen is not None else _citizen_of(obj, municipality_id)
    listed = {c.pk: c.municipality_id for c in citizens}
    if municipality_id is None:
        # A page about one citizen is their municipality's, and so is a list of one municipality's.
        municipalities = {about[1]} if about else set(listed.values())
        municipality_id = municipalities.pop() if len(municipalities) == 1 else None
    purpose = redact_cpr(purpose).strip()
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
            query=redact_cpr(query)[:200],
            citizen_id=about[0] if about else None,
        )
        AccessLogCitizen.objects.bulk_create(
            AccessLogCitizen(entry=entry, citizen_id=pk, municipality_id=citizen_municipality)
            for pk, citizen_municipality in listed.items()
        )
    return entry


def sign_in_record(*, kind, request=None, user=None, username="", ip_address=None):
    """A sign-in event. The typed name of a failed attempt is kept (trimmed, and never a CPR
    number in clear); it names a user when one has that name."""
    username = redact_cpr((username or "").strip())[:150]
    if user is None and username:
        user = get_user_model().objects.filter(username=username).first()
    if user is not None:
        username = user.get_username()
    if ip_address is None and request is not None:
        ip_address = client_ip(request)
    return SignInEvent.objects.create(kind=kind, user=user, username=username, ip_address=ip_address or None)
