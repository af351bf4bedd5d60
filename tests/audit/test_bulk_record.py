"""access_log_record_many: the rows of many records written at once (an import), each as
access_log_record writes it for one, in one INSERT however many."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AccessLog
from audit.services import access_log_record, access_log_record_many
from tests.factories import make_citizen, make_cpr_with_modulus11, make_placement

COLUMNS = ("user", "role", "action", "model", "object_id", "municipality", "purpose", "query", "citizen_id")


def rows(entries):
    return [tuple(getattr(entry, f"{name}_id" if name in ("user", "municipality") else name) for name in COLUMNS) for entry in entries]


def written(count):
    return list(AccessLog.objects.order_by("-pk")[:count])[::-1]


def test_it_writes_for_each_citizen_the_row_access_log_record_writes(consultant, fredericia, odense):
    citizens = [make_citizen(fredericia), make_citizen(odense)]
    for citizen in citizens:
        access_log_record(user=consultant, action=AccessLog.Action.CREATE, obj=citizen, purpose="import")
    one_by_one = written(2)
    assert access_log_record_many(user=consultant, action=AccessLog.Action.CREATE, objs=citizens, purpose="import") == 2
    assert rows(written(2)) == rows(one_by_one)
    assert [entry.citizen_id for entry in one_by_one] == [c.pk for c in citizens]


def test_it_names_the_citizen_of_a_placement_and_the_municipality_given(consultant, fredericia, citizen, employer):
    placements = [make_placement(citizen, employer)]
    access_log_record(
        user=consultant, action=AccessLog.Action.UPDATE, obj=placements[0], municipality=fredericia, purpose="import"
    )
    one = written(1)
    access_log_record_many(
        user=consultant, action=AccessLog.Action.UPDATE, objs=placements, municipality=fredericia, purpose="import"
    )
    assert rows(written(1)) == rows(one)
    assert (one[0].model, one[0].citizen_id, one[0].municipality_id) == ("placements.Placement", citizen.pk, fredericia.pk)


def test_it_writes_many_rows_in_as_many_queries_as_a_few(consultant, fredericia):
    citizens = [make_citizen(fredericia) for _ in range(60)]

    def queries(objs):
        user = type(consultant).objects.get(pk=consultant.pk)  # no role cached on it
        with CaptureQueriesContext(connection) as captured:
            access_log_record_many(user=user, action=AccessLog.Action.VIEW, objs=objs, purpose="import")
        return len(captured)

    assert queries(citizens[:3]) == queries(citizens[3:]) <= 3
    assert AccessLog.objects.count() == 60


def test_it_writes_nothing_for_no_records(consultant):
    assert access_log_record_many(user=consultant, action=AccessLog.Action.VIEW, objs=[], purpose="import") == 0
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("purpose", ["", "   ", "x" * 201])
def test_it_refuses_a_row_without_a_purpose_of_a_readable_length(consultant, fredericia, purpose):
    with pytest.raises(ValueError):
        access_log_record_many(user=consultant, action=AccessLog.Action.VIEW, objs=[make_citizen(fredericia)], purpose=purpose)
    assert not AccessLog.objects.exists()


def test_it_keeps_no_cpr_number_in_the_purpose(consultant, fredericia):
    number = make_cpr_with_modulus11()
    access_log_record_many(
        user=consultant, action=AccessLog.Action.VIEW, objs=[make_citizen(fredericia)], purpose=f"opslag {number}"
    )
    assert number not in AccessLog.objects.get().purpose
