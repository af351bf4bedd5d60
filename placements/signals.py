"""What the placements app tells the apps above it: which municipality's placements changed,
on which start dates (old and new). progress keeps its figures from it (progress.figures).
Sent inside the transaction that makes the change, by every writer of placements."""

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.dispatch import Signal

# Sent with municipality_id and days (a set of start dates).
placements_changed = Signal()


def placements_changed_send(*, municipality_id, days, employer_ids=()):
    """Every writer of placements calls this in its transaction, with the municipality, the
    start dates (old and new) and, where a placement came or went or moved, the employers
    (old and new): their placement counts are counted again here, and the signal tells the
    apps above."""
    if employer_ids:
        employers_recount(employer_ids=employer_ids)
    days = {day for day in days if day is not None}
    if days:
        placements_changed.send(sender=None, municipality_id=municipality_id, days=days)


def employers_recount(*, employer_ids=None, municipality_id=None):
    """Employer.placement_count again from the placements: of the employers given, or of all
    the municipality's (after a bulk load). One UPDATE."""
    from employers.models import Employer

    from .models import Placement

    counts = (
        Placement.objects.filter(employer_id=OuterRef("pk")).order_by().values("employer").annotate(n=Count("pk")).values("n")
    )
    employers = Employer.objects.all()
    if employer_ids is not None:
        employers = employers.filter(pk__in={pk for pk in employer_ids if pk is not None})
    if municipality_id is not None:
        employers = employers.filter(municipality_id=municipality_id)
    employers.update(placement_count=Coalesce(Subquery(counts, output_field=IntegerField()), 0))
