"""A citizen's access report for a request under GDPR article 15: every access to their
data, with date and time, who (name and role) and why; printable, and as PDF; opening it is
itself logged, with the purpose "indsigtsanmodning"."""

import re

import pytest
from django.urls import reverse

from accounts.models import Role
from audit.models import AccessLog
from citizens.models import Citizen
from tests.factories import make_citizen, make_placement, make_user


def report_url(citizen_id):
    return reverse("audit:report", args=[citizen_id])


def test_it_lists_exactly_the_accesses_made(login, manager, consultant, citizen, fredericia, employer):
    someone_else = make_citizen(fredericia, consultant=consultant, first_name="Anden", last_name="Borger")
    client = login(consultant)
    client.get(reverse("citizens:detail", args=[citizen.pk]))
    client.post(reverse("citizens:reveal_cpr", args=[citizen.pk]), {"purpose": "borgerhenvendelse"})
    client.post(reverse("citizens:list"), {"q": "Sørensen", "consultant": ""})
    client.get(reverse("citizens:detail", args=[someone_else.pk]))  # not about the citizen
    make_placement(someone_else, employer)
    client.get(reverse("employers:detail", args=[employer.pk]))  # names only the other citizen

    response = login(manager).get(report_url(citizen.pk))
    assert response.status_code == 200
    entries = response.context["report"].entries
    assert [(e.user, e.role, e.action, e.purpose) for e in entries] == [
        (consultant, Role.CONSULTANT, AccessLog.Action.VIEW, "sagsbehandling"),
        (consultant, Role.CONSULTANT, AccessLog.Action.REVEAL_CPR, "borgerhenvendelse"),
        (consultant, Role.CONSULTANT, AccessLog.Action.LIST, "sagsbehandling"),
    ]
    html = response.content.decode()
    assert "Karin Holm" in html and "Jobkonsulent" in html
    assert "Borgerhenvendelse" in html and "Visning af CPR-nummer" in html
    assert citizen.full_name in html and citizen.cpr_masked in html
    assert "Anden Borger" not in html
    assert citizen.reveal_cpr() not in html


def test_opening_the_report_is_logged_and_shows_in_the_next_one(login, manager, consultant, citizen):
    client = login(manager)
    client.get(report_url(citizen.pk))
    row = AccessLog.objects.get(user=manager)
    assert (row.action, row.purpose, row.object_id, row.model, row.municipality_id) == (
        AccessLog.Action.REPORT, "indsigtsanmodning", citizen.pk, "citizens.Citizen", citizen.municipality_id
    )
    assert row.citizen_ids() == [citizen.pk]
    entries = client.get(report_url(citizen.pk)).context["report"].entries
    assert [(e.user, e.action, e.purpose_label) for e in entries] == [
        (manager, AccessLog.Action.REPORT, "Indsigtsanmodning (GDPR art. 15)")
    ]


def test_a_manager_of_another_municipality_gets_404(login, consultant, citizen, odense):
    client = login(consultant)
    client.get(reverse("citizens:detail", args=[citizen.pk]))
    other_manager = make_user("chef-odense", odense, Role.MANAGER)
    assert login(other_manager).get(report_url(citizen.pk)).status_code == 404
    assert not AccessLog.objects.filter(user=other_manager).exists()


def test_it_gives_404_for_a_citizen_nobody_knows(login, manager):
    assert login(manager).get(report_url(999999)).status_code == 404


def test_the_log_outlives_a_deleted_citizen(login, manager, consultant, citizen):
    login(consultant).get(reverse("citizens:detail", args=[citizen.pk]))
    citizen_id = citizen.pk
    Citizen.objects.filter(pk=citizen_id).delete()
    response = login(manager).get(report_url(citizen_id))
    assert response.status_code == 200
    assert [e.user for e in response.context["report"].entries] == [consultant]
    assert "ikke længere registreret" in response.content.decode()


@pytest.mark.parametrize("user", ["consultant", "leader"])
def test_it_refuses_the_report_to_consultants_and_leaders(login, request, citizen, user):
    assert login(request.getfixturevalue(user)).get(report_url(citizen.pk)).status_code == 403


def test_it_is_printable_without_inline_style_or_script(login, manager, consultant, citizen):
    login(consultant).get(reverse("citizens:detail", args=[citizen.pk]))
    html = login(manager).get(report_url(citizen.pk)).content.decode()
    assert "/static/css/access-report.css" in html
    assert "<style" not in html and " style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_it_is_also_a_pdf_and_that_is_logged_as_an_export(login, manager, consultant, citizen):
    pytest.importorskip("weasyprint")
    login(consultant).get(reverse("citizens:detail", args=[citizen.pk]))
    response = login(manager).get(report_url(citizen.pk), {"format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"indsigt-adgangslog-{citizen.pk}.pdf" in response["Content-Disposition"]
    row = AccessLog.objects.get(user=manager)
    assert (row.action, row.purpose) == (AccessLog.Action.EXPORT, "indsigtsanmodning")
