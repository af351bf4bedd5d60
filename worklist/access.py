"""The only door to a worklist item on a user's behalf: an item is acted on (marked done,
snoozed) by a consultant or admin of its citizen's municipality; anything else is 404."""

from dataclasses import dataclass
from datetime import date

from django.http import Http404

from citizens.access import citizens_for_user
from citizens.models import Citizen

from .selectors import SOURCE_OF_KIND, Source, open_items


@dataclass(frozen=True)
class ItemAccess:
    """An item the user may act on: its source, its citizen, and whether the key the user
    sent is still the item as it stands (open, not hidden, the same due date)."""

    source: Source
    kind: str
    object_id: int
    due_on: date
    citizen: Citizen
    current: bool


def get_item_for_user(user, kind, object_id, due_on, today):
    """The item (kind, object_id, due_on), or 404 when its kind is unknown, its record is
    gone or its citizen lives in a municipality where the user does no casework."""
    source = SOURCE_OF_KIND.get(kind)
    if source is None:
        raise Http404
    # The item is its citizen's: scoped by the citizen's own door.
    citizens = citizens_for_user(user)
    scope = {f"{source.citizen}__in": citizens} if source.citizen else {"pk__in": citizens}
    record = (
        source.items(today).model.objects.filter(pk=object_id, **scope)
        .select_related(*([source.citizen] if source.citizen else []))
        .first()
    )
    if record is None:
        raise Http404
    citizen = record if not source.citizen else _follow(record, source.citizen)
    current = open_items(source, today).filter(pk=object_id, wl_kind=kind, wl_due=due_on).exists()
    return ItemAccess(source, kind, object_id, due_on, citizen, current)


def _follow(record, path):
    for name in path.split("__"):
        record = getattr(record, name)
    return record
