"""Creating and editing an employer together with its contact persons."""

import re

import pytest
from django.db import IntegrityError

from accounts.models import Membership, Role
from employers.models import ContactPerson, Employer
from tests.factories import make_employer, make_user


def test_it_shows_an_empty_form(login, consultant):
    response = login(consultant).get("/employers/new/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Opret virksomhed" in html
    assert 'name="contacts-0-name"' in html


def test_it_creates_an_employer_with_a_contact_person(login, consultant, fredericia, employer_post):
    data = employer_post(
        fredericia,
        name="Kanalbyens Café",
        cvr="13585628",
        sector="social_economic",
        contacts=[{"name": "Mads Kok", "title": "Indehaver", "phone": "75 92 00 00", "email": "mads@cafe.dk"}],
    )
    response = login(consultant).post("/employers/new/", data)
    employer = Employer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/employers/{employer.pk}/"
    assert (employer.name, employer.cvr, employer.municipality, employer.social_economic) == (
        "Kanalbyens Café",
        "13585628",
        fredericia,
        True,
    )
    assert list(employer.contacts.values_list("name", "title", "email")) == [
        ("Mads Kok", "Indehaver", "mads@cafe.dk")
    ]


def test_it_ignores_an_empty_contact_form(login, consultant, fredericia, employer_post):
    data = employer_post(fredericia, contacts=[{"name": "", "title": "", "phone": "", "email": ""}])
    assert login(consultant).post("/employers/new/", data).status_code == 302
    assert Employer.objects.count() == 1
    assert not ContactPerson.objects.exists()


def test_it_saves_nothing_when_a_contact_person_is_invalid(login, consultant, fredericia, employer_post):
    data = employer_post(fredericia, contacts=[{"name": "Mads Kok", "email": "ikke en adresse"}])
    response = login(consultant).post("/employers/new/", data)
    assert response.status_code == 200
    assert response.context["contacts"].errors[0]["email"]
    assert not Employer.objects.exists()
    assert not ContactPerson.objects.exists()


def test_it_saves_nothing_when_a_contact_person_cannot_be_saved(
    login, consultant, fredericia, employer_post, monkeypatch
):
    def fail(*args, **kwargs):
        raise IntegrityError("simulated failure while saving a contact person")

    monkeypatch.setattr(ContactPerson, "save", fail)
    data = employer_post(fredericia, contacts=[{"name": "Mads Kok"}])
    with pytest.raises(IntegrityError):
        login(consultant).post("/employers/new/", data)
    assert not Employer.objects.exists()


@pytest.mark.parametrize(
    "field, value",
    [("name", ""), ("sector", ""), ("sector", "foreign"), ("size", "giant"), ("cvr", "")],
)
def test_it_refuses_bad_employer_fields(login, consultant, fredericia, employer_post, field, value):
    response = login(consultant).post("/employers/new/", employer_post(fredericia, **{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "Der er fejl i formularen" in response.content.decode()
    assert not Employer.objects.exists()


def test_it_puts_a_consultant_with_one_municipality_in_it(login, consultant):
    form = login(consultant).get("/employers/new/").context["form"]
    assert form.fields["municipality"].widget.is_hidden
    assert [m.code for m in form.fields["municipality"].queryset] == [607]


def test_it_refuses_to_create_an_employer_in_another_municipality(
    login, consultant, odense, employer_post
):
    response = login(consultant).post("/employers/new/", employer_post(odense))
    assert response.status_code == 200
    assert "municipality" in response.context["form"].errors
    assert not Employer.objects.exists()


def test_it_edits_an_employer_and_its_contacts(login, consultant, fredericia, employer, employer_post):
    kept = employer.contacts.create(name="Bo Byg", title="Direktør")
    removed = employer.contacts.create(name="Gammel Kontakt")
    data = employer_post(
        fredericia,
        name="Lillebælt Byg & Anlæg ApS",
        cvr=employer.cvr,
        initial=2,
        contacts=[
            {"id": kept.pk, "name": "Bo Byg", "title": "Ejer"},
            {"id": removed.pk, "name": "Gammel Kontakt", "DELETE": "on"},
            {"name": "Ny Kontakt", "phone": "12345678"},
        ],
    )
    client = login(consultant)
    assert client.get(f"/employers/{employer.pk}/edit/").status_code == 200
    response = client.post(f"/employers/{employer.pk}/edit/", data)
    assert response.status_code == 302
    employer.refresh_from_db()
    assert employer.name == "Lillebælt Byg & Anlæg ApS"
    assert sorted(employer.contacts.values_list("name", "title")) == [("Bo Byg", "Ejer"), ("Ny Kontakt", "")]
    assert Employer.objects.count() == 1


def test_it_keeps_the_employer_unchanged_when_an_edit_is_invalid(
    login, consultant, fredericia, employer, employer_post
):
    contact = employer.contacts.create(name="Bo Byg")
    data = employer_post(
        fredericia,
        name="Nyt Navn",
        cvr=employer.cvr,
        initial=1,
        contacts=[{"id": contact.pk, "name": "Bo Byg", "email": "forkert"}],
    )
    response = login(consultant).post(f"/employers/{employer.pk}/edit/", data)
    assert response.status_code == 200
    employer.refresh_from_db()
    assert employer.name == "Lillebælt Byg ApS"


def test_it_refuses_to_change_a_cvr_number_to_one_already_in_the_municipality(
    login, consultant, fredericia, employer, employer_post
):
    other = make_employer(fredericia, name="Anden ApS")
    data = employer_post(fredericia, name=employer.name, cvr=other.cvr)
    response = login(consultant).post(f"/employers/{employer.pk}/edit/", data)
    assert response.status_code == 200
    employer.refresh_from_db()
    assert employer.cvr != other.cvr


def test_it_keeps_its_own_cvr_number_on_edit(login, consultant, fredericia, employer, employer_post):
    data = employer_post(fredericia, name="Nyt Navn", cvr=employer.cvr)
    assert login(consultant).post(f"/employers/{employer.pk}/edit/", data).status_code == 302
    employer.refresh_from_db()
    assert employer.name == "Nyt Navn"


def test_it_gives_404_when_editing_another_municipalitys_employer(
    login, outsider, employer, odense, employer_post
):
    client = login(outsider)
    assert client.get(f"/employers/{employer.pk}/edit/").status_code == 404
    response = client.post(f"/employers/{employer.pk}/edit/", employer_post(odense, name="Overtaget"))
    assert response.status_code == 404
    employer.refresh_from_db()
    assert employer.name == "Lillebælt Byg ApS"


@pytest.mark.parametrize("user", ["leader", "manager"])
def test_it_refuses_create_and_edit_to_other_roles(login, request, employer, fredericia, employer_post, user):
    client = login(request.getfixturevalue(user))
    assert client.get("/employers/new/").status_code == 403
    assert client.post("/employers/new/", employer_post(fredericia)).status_code == 403
    assert client.get(f"/employers/{employer.pk}/edit/").status_code == 403
    assert Employer.objects.count() == 1


def test_it_keeps_an_employer_in_its_municipality_on_edit(
    login, fredericia, odense, employer, employer_post
):
    both = make_user("begge", fredericia, Role.CONSULTANT)
    Membership.objects.create(user=both, municipality=odense, role=Role.CONSULTANT)
    client = login(both)
    assert client.get("/employers/new/").context["form"].fields["municipality"].widget.is_hidden is False
    response = client.post(
        f"/employers/{employer.pk}/edit/", employer_post(odense, name="Flyttet ApS", cvr=employer.cvr)
    )
    assert response.status_code == 302
    employer.refresh_from_db()
    assert (employer.name, employer.municipality) == ("Flyttet ApS", fredericia)


def test_it_lets_a_consultant_of_two_municipalities_choose_one(login, fredericia, odense, employer_post):
    both = make_user("begge", fredericia, Role.CONSULTANT)
    Membership.objects.create(user=both, municipality=odense, role=Role.CONSULTANT)
    response = login(both).post("/employers/new/", employer_post(odense))
    assert response.status_code == 302
    assert Employer.objects.get().municipality == odense


def test_it_asks_once_whether_the_employer_is_social_economic_as_a_kind_of_private(login, consultant):
    """Issue 10, point 11: "Socialøkonomisk" was asked twice (the sector and a checkbox)."""
    html = login(consultant).get("/employers/new/").content.decode()
    form = html[html.index('<form method="post" novalidate'):]
    form = form[:form.index("</form>")]
    assert 'name="social_economic"' not in form
    assert [value for value, _label in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)<', form.split('id="id_sector"')[1].split("</select>")[0])] == [
        "", "private", "social_economic", "public"
    ]
    assert len(re.findall(r"<(?:input|option)[^>]*>[^<]*socialøkonomisk", form, flags=re.IGNORECASE)) == 1


@pytest.mark.parametrize(
    "choice, columns",
    [("private", ("private", False)), ("social_economic", ("private", True)), ("public", ("public", False))],
)
def test_it_writes_the_sector_and_social_economic_columns_from_the_one_choice(
    login, consultant, fredericia, employer_post, choice, columns
):
    response = login(consultant).post("/employers/new/", employer_post(fredericia, sector=choice))
    assert response.status_code == 302
    assert Employer.objects.values_list("sector", "social_economic").get() == columns


def test_it_cannot_make_a_public_social_economic_employer(login, consultant, fredericia, employer_post):
    # The old form's checkbox, posted by hand, is no field of the form any more.
    data = employer_post(fredericia, name="Offentlig socialøkonomi", sector="public", social_economic="on")
    assert login(consultant).post("/employers/new/", data).status_code == 302
    assert Employer.objects.values_list("sector", "social_economic").get() == ("public", False)


def test_it_shows_a_social_economic_employer_as_that_choice(login, consultant, fredericia):
    employer = make_employer(fredericia, name="OK-Fonden", social_economic=True)
    html = login(consultant).get(f"/employers/{employer.pk}/edit/").content.decode()
    assert re.search(r'<option value="social_economic" selected>', html)
    assert 'name="initial-sector" value="social_economic"' in html


@pytest.mark.parametrize(
    "before, choice, after",
    [
        (("private", True), "private", ("private", False)),
        (("private", True), "public", ("public", False)),
        (("public", False), "social_economic", ("private", True)),
        (("private", False), "social_economic", ("private", True)),
        (("private", True), "social_economic", ("private", True)),  # left alone
    ],
)
def test_it_edits_the_sector_and_social_economic_together(login, consultant, fredericia, before, choice, after):
    employer = make_employer(fredericia, name="Café Klare", sector=before[0], social_economic=before[1])
    client = login(consultant)
    assert client.post(f"/employers/{employer.pk}/edit/", _edit_data(client, employer, sector=choice)).status_code == 302
    assert Employer.objects.values_list("sector", "social_economic").get(pk=employer.pk) == after


def test_it_keeps_a_colleagues_social_economic_mark_when_the_sector_was_left_alone(login, consultant, fredericia):
    employer = make_employer(fredericia, name="Café Klare")
    client = login(consultant)
    data = _edit_data(client, employer, industry="Café")
    Employer.objects.filter(pk=employer.pk).update(social_economic=True)
    assert client.post(f"/employers/{employer.pk}/edit/", data).status_code == 302
    assert Employer.objects.values_list("sector", "social_economic", "industry").get(pk=employer.pk) == (
        "private", True, "Café"
    )


def test_it_refuses_a_sector_a_colleague_changed_meanwhile_and_shows_theirs(login, consultant, fredericia):
    employer = make_employer(fredericia, name="Café Klare")
    client = login(consultant)
    data = _edit_data(client, employer, sector="public")
    Employer.objects.filter(pk=employer.pk).update(social_economic=True)
    response = client.post(f"/employers/{employer.pk}/edit/", data)
    assert response.status_code == 200
    assert "sector" in response.context["form"].errors
    assert re.search(r'<option value="social_economic" selected>', response.content.decode())
    assert Employer.objects.values_list("sector", "social_economic").get(pk=employer.pk) == ("private", True)
    # Saved again, it is this user's choice that is written.
    again = _edit_data(client, employer, sector="public")
    assert client.post(f"/employers/{employer.pk}/edit/", again).status_code == 302
    assert Employer.objects.values_list("sector", "social_economic").get(pk=employer.pk) == ("public", False)


def test_it_changes_a_social_economic_employer_without_touching_the_sector(login, consultant, fredericia):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    employer = make_employer(fredericia, name="OK-Fonden", social_economic=True)
    client = login(consultant)
    data = _edit_data(client, employer, name="OK-Fonden, Gurli-Vibeke")
    with CaptureQueriesContext(connection) as queries:
        assert client.post(f"/employers/{employer.pk}/edit/", data).status_code == 302
    [update] = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "employers_employer"')]
    assigned = update.split(" SET ")[1].split(" WHERE ")[0]
    assert '"sector"' not in assigned and '"social_economic"' not in assigned
    assert Employer.objects.values_list("sector", "social_economic").get(pk=employer.pk) == ("private", True)


# --- two people editing at once ---------------------------------------------------------


def _edit_data(client, employer, **changes):
    """The edit form as the browser submits it (with the values it was opened with), plus changes."""
    from tests.html import form_values

    data = form_values(client.get(f"/employers/{employer.pk}/edit/").content.decode())
    data.pop("csrfmiddlewaretoken", None)
    data.update(changes)
    return data


def test_it_keeps_a_colleagues_change_made_while_the_form_was_open(login, consultant, employer):
    client = login(consultant)
    data = _edit_data(client, employer, next_step="Ring i næste uge")
    Employer.objects.filter(pk=employer.pk).update(industry="Byggeri", size="medium", social_economic=True)
    assert client.post(f"/employers/{employer.pk}/edit/", data).status_code == 302
    employer.refresh_from_db()
    assert employer.next_step == "Ring i næste uge"
    assert (employer.industry, employer.size, employer.social_economic) == ("Byggeri", "medium", True)


def test_it_writes_only_the_changed_employer_fields(login, consultant, employer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(consultant)
    data = _edit_data(client, employer, name="Lillebælt Byg & Anlæg ApS")
    with CaptureQueriesContext(connection) as queries:
        assert client.post(f"/employers/{employer.pk}/edit/", data).status_code == 302
    [update] = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "employers_employer"')]
    assigned = update.split(" SET ")[1].split(" WHERE ")[0]
    assert '"name"' in assigned and '"updated_at"' in assigned
    for untouched in ("cvr", "sector", "industry", "address", "municipality_id", "created_at"):
        assert f'"{untouched}"' not in assigned


def test_it_writes_nothing_to_the_employer_when_nothing_changed(login, consultant, employer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(consultant)
    data = _edit_data(client, employer)
    with CaptureQueriesContext(connection) as queries:
        assert client.post(f"/employers/{employer.pk}/edit/", data).status_code == 302
    assert not [q for q in queries if q["sql"].startswith('UPDATE "employers_employer"')]
