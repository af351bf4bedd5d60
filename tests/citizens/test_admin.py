"""The admin's pages for citizens and case notes."""

import pytest
from django.urls import reverse

from audit.models import AccessLog
from citizens.models import CaseNote, Citizen
from tests.factories import make_cpr

from tests.factories import make_cpr_with_modulus11


@pytest.fixture
def admin_client(login, admin_user):
    return login(admin_user)


@pytest.mark.parametrize("model", ["citizen", "casenote"])
def test_it_loads_the_changelists_for_a_superuser(admin_client, consultant, citizen, other_citizen, model):
    CaseNote.objects.create(citizen=citizen, author=consultant, text="Notat")
    response = admin_client.get(reverse(f"admin:citizens_{model}_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == (2 if model == "citizen" else 1)


def test_it_lists_citizens_with_a_masked_cpr_number(admin_client, citizen):
    html = admin_client.get(reverse("admin:citizens_citizen_changelist")).content.decode()
    assert citizen.cpr_masked in html
    assert citizen.reveal_cpr() not in html


def test_it_lists_citizens_in_a_fixed_number_of_queries(admin_client, fredericia, consultant):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_citizen

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(reverse("admin:citizens_citizen_changelist")).status_code == 200
        return len(queries)

    make_citizen(fredericia, consultant=consultant)
    few = count()
    for _ in range(5):
        make_citizen(fredericia, consultant=consultant)
    assert count() == few


def test_it_searches_citizens_by_name(admin_client, citizen, other_citizen):
    response = admin_client.get(reverse("admin:citizens_citizen_changelist"), {"q": "Odensen"})
    assert list(response.context["cl"].result_list) == [other_citizen]


def test_it_shows_a_citizen_in_the_admin_without_the_full_cpr_number(admin_client, consultant, citizen):
    CaseNote.objects.create(citizen=citizen, author=consultant, text="Første samtale")
    response = admin_client.get(reverse("admin:citizens_citizen_change", args=[citizen.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert citizen.cpr_masked in html
    assert citizen.reveal_cpr() not in html
    assert citizen.reveal_cpr().replace("-", "") not in html
    assert "Første samtale" in html


def _admin_citizen_data(municipality, **overrides):
    data = {
        "municipality": municipality.pk,
        "first_name": "Admin",
        "last_name": "Oprettet",
        "status": "registered",
        "notes-TOTAL_FORMS": "0",
        "notes-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_it_lets_the_admin_register_a_citizen_with_a_cpr_number(admin_client, admin_user, fredericia):
    number = make_cpr_with_modulus11()
    response = admin_client.post(reverse("admin:citizens_citizen_add"), _admin_citizen_data(fredericia, cpr=number))
    assert response.status_code == 302
    citizen = Citizen.objects.get()
    assert citizen.reveal_cpr().replace("-", "") == number
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.object_id) == (admin_user, AccessLog.Action.CREATE, citizen.pk)
    assert log.purpose == "administration"  # a readable Danish word, as the other purposes


def test_it_requires_a_valid_cpr_number_in_the_admin(admin_client, fredericia):
    url = reverse("admin:citizens_citizen_add")
    for cpr, message in [("", "Dette felt er påkrævet."),
                         ("320190-1234", "CPR-nummeret indeholder ikke en gyldig fødselsdato.")]:
        response = admin_client.post(url, _admin_citizen_data(fredericia, cpr=cpr))
        assert response.status_code == 200
        assert response.context["adminform"].form.errors["cpr"] == [message]
    assert not Citizen.objects.exists()


def test_it_lets_the_admin_correct_a_cpr_number(admin_client, citizen, fredericia):
    url = reverse("admin:citizens_citizen_change", args=[citizen.pk])
    data = _admin_citizen_data(fredericia, first_name=citizen.first_name, last_name=citizen.last_name,
                               consultant=citizen.consultant_id, **{"notes-INITIAL_FORMS": "0"})
    before = citizen.reveal_cpr()
    # Left empty, the number stays.
    assert admin_client.post(url, {**data, "cpr": ""}).status_code == 302
    citizen.refresh_from_db()
    assert citizen.reveal_cpr() == before
    corrected = make_cpr("241205")
    assert admin_client.post(url, {**data, "cpr": corrected}).status_code == 302
    citizen.refresh_from_db()
    assert citizen.reveal_cpr().replace("-", "") == corrected
    assert citizen.cpr_masked == "241205-XXXX"
    assert list(Citizen.objects.with_cpr(corrected)) == [citizen]


def test_it_rejects_a_duplicate_cpr_number_in_the_admin(admin_client, citizen, fredericia):
    response = admin_client.post(
        reverse("admin:citizens_citizen_add"), _admin_citizen_data(fredericia, cpr=citizen.reveal_cpr())
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["cpr"] == [
        "Der findes allerede en borger med dette CPR-nummer i kommunen."
    ]
    assert Citizen.objects.count() == 1


def test_it_has_no_admin_page_to_add_a_note(admin_client, citizen):
    assert admin_client.get(reverse("admin:citizens_casenote_add")).status_code == 403
    assert admin_client.post(reverse("admin:citizens_casenote_add"), {"text": "x"}).status_code == 403
    assert not CaseNote.objects.exists()


def test_it_keeps_consultants_out_of_the_admin(login, consultant):
    response = login(consultant).get(reverse("admin:citizens_citizen_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response.url


@pytest.mark.parametrize("app", ["citizens", "employers", "placements", "courses"])
def test_it_names_every_model_and_field_in_danish(app):
    from django.apps import apps

    for model in apps.get_app_config(app).get_models():
        assert model._meta.verbose_name != model.__name__.lower(), model
        for field in model._meta.concrete_fields + model._meta.many_to_many:
            if field.name == "id":
                continue
            default = field.name.replace("_", " ")
            # "status" and "permanent" are Danish words too.
            assert str(field.verbose_name) != default or default in ("status", "permanent"), f"{model.__name__}.{field.name}"
