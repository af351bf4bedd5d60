"""Registering a placement from a citizen's page or from an employer's page."""

from datetime import date
from decimal import Decimal

import pytest

from audit.models import AccessLog
from employers.models import Opening
from placements.models import Placement
from tests.factories import make_citizen, make_employer


def test_it_shows_the_form_on_a_citizens_page(login, consultant, citizen, employer, other_employer):
    response = login(consultant).get(f"/placements/new/citizen/{citizen.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bente Sørensen" in html
    # The employer is searched for (core.choosers): no list of the municipality's employers.
    assert 'name="employer__q"' in html
    assert "Lillebælt Byg ApS" not in html
    assert "Odense Værft" not in html
    assert 'name="citizen_cpr"' not in html


def test_it_registers_a_placement_from_a_citizens_page(login, consultant, citizen, employer, placement_post):
    response = login(consultant).post(
        f"/placements/new/citizen/{citizen.pk}/",
        placement_post(
            employer=employer,
            hours_per_week="6",
            contracted_hours="8",
            first_flexjob="on",
            accommodations="Korte pauser",
        ),
    )
    placement = Placement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/placements/{placement.pk}/"
    assert (placement.citizen, placement.employer, placement.kind) == (citizen, employer, "flexjob")
    assert (placement.hours_per_week, placement.contracted_hours) == (Decimal("6"), Decimal("8"))
    assert (placement.start_date, placement.end_date) == (date(2026, 2, 1), None)
    assert placement.permanent and placement.first_flexjob and not placement.retention_flexjob
    assert placement.accommodations == "Korte pauser"
    assert placement.created_by == consultant


def test_it_offers_only_employers_of_the_citizens_municipality(login, consultant, citizen, employer, other_employer):
    form = login(consultant).get(f"/placements/new/citizen/{citizen.pk}/").context["form"]
    assert list(form.fields["employer"].queryset) == [employer]


def test_it_refuses_an_employer_of_another_municipality(
    login, consultant, citizen, other_employer, placement_post
):
    response = login(consultant).post(
        f"/placements/new/citizen/{citizen.pk}/", placement_post(employer=other_employer)
    )
    assert response.status_code == 200
    assert "employer" in response.context["form"].errors
    assert not Placement.objects.exists()


def test_it_requires_an_employer_on_a_citizens_page(login, consultant, citizen, placement_post):
    response = login(consultant).post(f"/placements/new/citizen/{citizen.pk}/", placement_post())
    assert "employer" in response.context["form"].errors
    assert not Placement.objects.exists()


def test_it_shows_the_form_on_an_employers_page(login, consultant, employer):
    response = login(consultant).get(f"/placements/new/employer/{employer.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="citizen_cpr"' in html
    assert 'name="employer"' not in html


def test_it_registers_a_placement_from_an_employers_page_by_cpr(
    login, consultant, citizen, employer, placement_post
):
    response = login(consultant).post(
        f"/placements/new/employer/{employer.pk}/", placement_post(citizen_cpr=citizen.reveal_cpr())
    )
    placement = Placement.objects.get()
    assert response.status_code == 302
    assert (placement.citizen, placement.employer) == (citizen, employer)
    assert citizen.reveal_cpr().replace("-", "") not in response["Location"]


def test_it_accepts_the_cpr_number_without_a_dash(login, consultant, citizen, employer, placement_post):
    number = citizen.reveal_cpr().replace("-", "")
    response = login(consultant).post(f"/placements/new/employer/{employer.pk}/", placement_post(citizen_cpr=number))
    assert response.status_code == 302
    assert Placement.objects.get().citizen == citizen


def test_it_says_in_danish_when_no_citizen_has_the_cpr_number(login, consultant, citizen, employer, placement_post):
    response = login(consultant).post(
        f"/placements/new/employer/{employer.pk}/", placement_post(citizen_cpr="020202-1234")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["citizen_cpr"] == [
        "Der er ingen borger med dette CPR-nummer i kommunen."
    ]
    assert "Der er ingen borger med dette CPR-nummer i kommunen." in response.content.decode()
    assert not Placement.objects.exists()


def test_it_does_not_find_a_citizen_of_another_municipality_by_cpr(
    login, consultant, other_citizen, employer, placement_post
):
    response = login(consultant).post(
        f"/placements/new/employer/{employer.pk}/", placement_post(citizen_cpr=other_citizen.reveal_cpr())
    )
    assert response.context["form"].errors["citizen_cpr"] == [
        "Der er ingen borger med dette CPR-nummer i kommunen."
    ]
    assert not Placement.objects.exists()


def test_it_refuses_a_malformed_cpr_number(login, consultant, employer, placement_post):
    response = login(consultant).post(
        f"/placements/new/employer/{employer.pk}/", placement_post(citizen_cpr="12345")
    )
    assert response.context["form"].errors["citizen_cpr"] == ["CPR-nummeret skal have 10 cifre, fx 010190-1234."]
    assert not Placement.objects.exists()


def test_it_keeps_the_cpr_field_after_another_error(login, consultant, citizen, employer, placement_post):
    response = login(consultant).post(
        f"/placements/new/employer/{employer.pk}/",
        placement_post(citizen_cpr=citizen.reveal_cpr(), hours_per_week="0"),
    )
    assert response.status_code == 200
    assert 'name="citizen_cpr"' in response.content.decode()
    assert "citizen_cpr" not in response.context["form"].errors
    assert not Placement.objects.exists()


def test_it_links_an_opening_of_the_employer(login, consultant, citizen, employer, placement_post):
    opening = Opening.objects.create(employer=employer, title="Pedel", hours_min=4, hours_max=8)
    response = login(consultant).post(
        f"/placements/new/citizen/{citizen.pk}/", placement_post(employer=employer, opening=opening.pk)
    )
    assert response.status_code == 302
    assert Placement.objects.get().opening == opening


def test_it_refuses_an_opening_of_another_employer(login, consultant, fredericia, citizen, employer, placement_post):
    elsewhere = make_employer(fredericia, name="Anden ApS")
    opening = Opening.objects.create(employer=elsewhere, title="Pedel", hours_min=4, hours_max=8)
    response = login(consultant).post(
        f"/placements/new/citizen/{citizen.pk}/", placement_post(employer=employer, opening=opening.pk)
    )
    assert response.context["form"].errors["opening"] == ["Stillingsopslaget hører til en anden virksomhed."]
    assert not Placement.objects.exists()


def test_it_refuses_an_opening_of_another_municipality(login, consultant, citizen, employer, other_employer, placement_post):
    opening = Opening.objects.create(employer=other_employer, title="Værft", hours_min=4, hours_max=8)
    response = login(consultant).post(
        f"/placements/new/employer/{employer.pk}/",
        placement_post(citizen_cpr=citizen.reveal_cpr(), opening=opening.pk),
    )
    assert "opening" in response.context["form"].errors
    assert not Placement.objects.exists()


def test_it_snapshots_the_target_group_on_the_start_date(login, consultant, fredericia, employer, placement_post):
    long_term = make_citizen(fredericia, unemployed_since=date(2024, 11, 1))
    short_term = make_citizen(fredericia, unemployed_since=date(2025, 6, 1))
    client = login(consultant)
    for citizen in (long_term, short_term):
        response = client.post(
            f"/placements/new/citizen/{citizen.pk}/", placement_post(employer=employer, start_date="2026-02-01")
        )
        assert response.status_code == 302
    assert Placement.objects.get(citizen=long_term).in_target_group is True
    assert Placement.objects.get(citizen=short_term).in_target_group is False


def test_it_writes_an_access_log_row_when_registering(login, consultant, citizen, employer, placement_post):
    login(consultant).post(f"/placements/new/citizen/{citizen.pk}/", placement_post(employer=employer))
    row = AccessLog.objects.get()
    assert (row.user, row.action, row.model, row.object_id, row.municipality_id, row.purpose) == (
        consultant,
        AccessLog.Action.CREATE,
        "citizens.Citizen",
        citizen.pk,
        citizen.municipality_id,
        "ansættelse",
    )


def test_a_refused_form_is_logged_as_the_page_view_it_is(login, consultant, citizen, employer, placement_post):
    response = login(consultant).post(
        f"/placements/new/citizen/{citizen.pk}/", placement_post(employer=employer, hours_per_week="40")
    )
    assert response.status_code == 200 and citizen.full_name in response.content.decode()
    assert not Placement.objects.exists()
    row = AccessLog.objects.get()  # the form, sent back, names the citizen: no registration
    assert (row.action, row.object_id, row.purpose) == (AccessLog.Action.VIEW, citizen.pk, "ansættelse")


def test_it_gives_404_for_another_municipalitys_citizen_or_employer(
    login, outsider, citizen, employer, placement_post
):
    client = login(outsider)
    assert client.get(f"/placements/new/citizen/{citizen.pk}/").status_code == 404
    assert client.get(f"/placements/new/employer/{employer.pk}/").status_code == 404
    assert client.post(f"/placements/new/citizen/{citizen.pk}/", placement_post(employer=employer)).status_code == 404
    assert (
        client.post(
            f"/placements/new/employer/{employer.pk}/", placement_post(citizen_cpr=citizen.reveal_cpr())
        ).status_code
        == 404
    )
    assert not Placement.objects.exists()


@pytest.mark.parametrize("user", ["leader", "manager"])
def test_it_refuses_registration_to_other_roles(login, request, citizen, employer, placement_post, user):
    client = login(request.getfixturevalue(user))
    assert client.get(f"/placements/new/citizen/{citizen.pk}/").status_code == 403
    assert client.post(f"/placements/new/citizen/{citizen.pk}/", placement_post(employer=employer)).status_code == 403
    assert client.get(f"/placements/new/employer/{employer.pk}/").status_code == 403
    assert not Placement.objects.exists()


def test_it_offers_only_open_openings_so_a_pledge_is_filled_once_opened(
    login, consultant, citizen, employer, placement_post
):
    open_one = Opening.objects.create(employer=employer, title="Pedel", hours_min=4, hours_max=8)
    pledge = Opening.objects.create(
        employer=employer, title="Tilsagn", hours_min=4, hours_max=6, from_task_force=True, is_open=False
    )
    client = login(consultant)
    form = client.get(f"/placements/new/employer/{employer.pk}/").context["form"]
    assert list(form.fields["opening"].queryset) == [open_one]
    response = client.post(f"/placements/new/citizen/{citizen.pk}/", placement_post(employer=employer, opening=pledge.pk))
    assert response.status_code == 200
    assert "opening" in response.context["form"].errors
    assert not Placement.objects.exists()


def test_it_marks_the_cpr_number_sensitive_in_error_reports(login, consultant, citizen, employer, placement_post):
    from django.views.debug import SafeExceptionReporterFilter

    response = login(consultant).post(
        f"/placements/new/employer/{employer.pk}/", placement_post(citizen_cpr=citizen.reveal_cpr())
    )
    assert response.status_code == 302
    reported = SafeExceptionReporterFilter().get_post_parameters(response.wsgi_request)
    assert reported["citizen_cpr"] == SafeExceptionReporterFilter.cleansed_substitute
