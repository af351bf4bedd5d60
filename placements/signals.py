"""What the placements app tells the apps above it: which municipality's placements changed,
on which start dates (old and new). progress keeps its figures from it (progress.figures).
Sent inside the transaction that makes the change, by every writer of placements."""

from django.dispatch import Signal

# Sent with municipality_id and days (a set of start dates).
placements_changed = Signal()


def placements_changed_send(*, municipality_id, days):
    days = {day for day in days if day is not None}
    if days:
        placements_changed.send(sender=None, municipality_id=municipality_id, days=days)
