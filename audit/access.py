"""Who may read the log, and which rows: the municipality's managers and admins, each the
rows of their own municipalities (a superuser all of them). A row is a municipality's when
it was written in it, when it names one of its citizens, or, having no municipality (a list
across several, an empty search), when its user works there.
"""

from django.db.models import Exists, OuterRef, Q

from accounts.access import municipality_ids_for
from accounts.models import Membership, Role
from core.ids import ids_only

from .models import AccessLog, AccessLogCitizen, SignInEvent

AUDIT_ROLES = (Role.MANAGER, Role.ADMIN)


def audited_municipality_ids(user):
    """The ids of the municipalities whose log the user reads; None for all (a superuser).
    Cached on the user object, as accounts.access.user_roles is: a page of the log asks for
    them in its view and again in each helper below."""
    if user.is_superuser:
        return None
    if not hasattr(user, "_taskforce_audited_ids"):
        user._taskforce_audited_ids = municipality_ids_for(user, AUDIT_ROLES)
    return user._taskforce_audited_ids


def _works_in(ids):
    return Exists(Membership.objects.filter(user=OuterRef("user"), municipality_id__in=ids))


def entries_for_user(user):
    ids = audited_municipality_ids(user)
    if ids is None:
        return AccessLog.objects.all()
    return AccessLog.objects.filter(
        Q(municipality_id__in=ids)
        | Exists(AccessLogCitizen.objects.filter(entry=OuterRef("pk"), municipality_id__in=ids))
        | (Q(municipality__isnull=True) & _works_in(ids))
    )


def naming_citizens(citizen_ids, municipality_ids=None):
    """A filter for the rows that name one of the citizens, on the row or among a list's, as
    citizens of the municipalities (None: any) when the row was written. An id beyond the
    database's names no row (and would fail the query on SQLite)."""
    citizen_ids = ids_only(citizen_ids)
    on_row = Q(citizen_id__in=citizen_ids)
    listed = AccessLogCitizen.objects.filter(entry=OuterRef("pk"), citizen_id__in=citizen_ids)
    if municipality_ids is not None:
        on_row &= Q(municipality_id__in=municipality_ids)
        listed = listed.filter(municipality_id__in=municipality_ids)
    return on_row | Exists(listed)


def citizen_entries_for_user(user, citizen_id):
    """The rows that name the citizen, when the citizen was (at the time of the row) one of the
    user's municipalities'."""
    return AccessLog.objects.filter(naming_citizens([citizen_id], audited_municipality_ids(user)))


def sign_in_events_for_user(user):
    """Sign-in events of the users who work in the user's municipalities; a name no user has
    only for a superuser."""
    ids = audited_municipality_ids(user)
    if ids is None:
        return SignInEvent.objects.all()
    return SignInEvent.objects.filter(_works_in(ids))
