"""The worklist's records: follow-ups, meeting requests, placements ending and citizens
without contact, for the consultant of tests/conftest.py (Fredericia) and the outsider (Odense)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from placements.models import FollowUp
from tests.factories import make_citizen, make_placement
from workspace.models import MeetingRequest

# Unemployed since long before any day the tests ask about: in the target group.
LONG_AGO = date(2020, 1, 1)


@pytest.fixture
def today():
    return timezone.localdate()


def days(n):
    return timezone.localdate() + timedelta(days=n)


def make_follow_up(placement, due_on, *, kind=FollowUp.Kind.REGULAR, months=None):
    months = months if months is not None else {FollowUp.Kind.LEGAL_FOLLOW_UP: 30, FollowUp.Kind.REASSESSMENT: 54}.get(
        kind, FollowUp.objects.filter(placement=placement).count() + 1
    )
    return FollowUp.objects.create(placement=placement, kind=kind, months=months, due_on=due_on)


def make_meeting_request(citizen, member, *, created_at=None, message="Vi har en plads i køkkenet"):
    request = MeetingRequest.objects.create(citizen=citizen, member=member, message=message)
    if created_at is not None:
        MeetingRequest.objects.filter(pk=request.pk).update(created_at=created_at)
        request.refresh_from_db()
    return request


def make_quiet_citizen(municipality, consultant, *, last_contact_on, **fields):
    """A citizen in the target group, looking for a job, last contacted on that day."""
    return make_citizen(
        municipality, consultant=consultant, unemployed_since=fields.pop("unemployed_since", LONG_AGO),
        last_contact_on=last_contact_on, status=fields.pop("status", "ready"), **fields,
    )


@pytest.fixture
def placement(citizen, employer):
    return make_placement(citizen, employer, start_date=date(2026, 2, 1))


@pytest.fixture
def other_placement(other_citizen, other_employer):
    return make_placement(other_citizen, other_employer, start_date=date(2026, 2, 1))
