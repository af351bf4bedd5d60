"""The journal: case notes are only ever added, each with its author and time."""

from datetime import timedelta

import pytest
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from audit.models import AccessLog
from citizens import urls as citizen_urls
from citizens.models import CaseNote
from tests.factories import make_citizen


def notes_url(citizen):
    return reverse("citizens:add_note", args=[citizen.pk])


def test_it_adds_a_note_with_author_and_time(login, consultant, citizen):
    before = timezone.now()
    response = login(consultant).post(notes_url(citizen), {"text": "  Samtale om køkkenarbejde.  "}, follow=True)
    assert response.redirect_chain == [(reverse("citizens:detail", args=[citizen.pk]), 302)]
    note = CaseNote.objects.get()
    assert (note.citizen, note.author, note.text) == (citizen, consultant, "Samtale om køkkenarbejde.")
    assert before <= note.created_at <= timezone.now()
    html = response.content.decode()
    assert "Notatet er tilføjet." in html
    assert "Samtale om køkkenarbejde." in html
    assert "Karin Holm" in html


def test_it_logs_the_added_note(login, consultant, citizen):
    login(consultant).post(notes_url(citizen), {"text": "Notat"})
    log = AccessLog.objects.get(action=AccessLog.Action.ADD_NOTE)
    assert (log.user, log.model, log.object_id, log.municipality) == (
        consultant, "citizens.Citizen", citizen.pk, citizen.municipality
    )
    assert "Notat" not in log.purpose


def test_it_returns_the_notes_fragment_for_htmx(login, consultant, citizen):
    response = login(consultant).post(notes_url(citizen), {"text": "Via htmx"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode().strip()
    assert html.startswith('<section id="notes">')
    assert "<html" not in html
    assert "Via htmx" in html
    # The form is emptied for the next note.
    assert "Via htmx</textarea>" not in html
    assert CaseNote.objects.count() == 1


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_it_rejects_an_empty_note_with_a_message(login, consultant, citizen, text):
    response = login(consultant).post(notes_url(citizen), {"text": text})
    assert response.status_code == 400
    assert "Skriv notatets tekst." in response.content.decode()
    assert not CaseNote.objects.exists()
    assert not AccessLog.objects.filter(action=AccessLog.Action.ADD_NOTE).exists()


def test_it_rejects_an_empty_note_in_the_htmx_fragment(login, consultant, citizen):
    response = login(consultant).post(notes_url(citizen), {"text": " "}, HTTP_HX_REQUEST="true")
    html = response.content.decode().strip()
    assert html.startswith('<section id="notes">')
    assert "Skriv notatets tekst." in html
    assert not CaseNote.objects.exists()


def test_it_enforces_non_empty_notes_in_the_database(consultant, citizen):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        CaseNote.objects.create(citizen=citizen, author=consultant, text="")


def test_it_shows_the_newest_note_first(login, consultant, citizen):
    old = CaseNote.objects.create(citizen=citizen, author=consultant, text="Første notat")
    CaseNote.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=1))
    CaseNote.objects.create(citizen=citizen, author=consultant, text="Andet notat")
    html = login(consultant).get(reverse("citizens:detail", args=[citizen.pk])).content.decode()
    assert html.index("Andet notat") < html.index("Første notat")


def test_it_shows_only_the_citizens_own_notes(login, consultant, citizen, fredericia):
    other = make_citizen(fredericia, first_name="Anden")
    CaseNote.objects.create(citizen=other, author=consultant, text="Om en anden borger")
    html = login(consultant).get(reverse("citizens:detail", args=[citizen.pk])).content.decode()
    assert "Om en anden borger" not in html
    assert "Ingen notater endnu." in html


def test_it_has_no_url_to_change_or_delete_a_note(consultant, citizen):
    note = CaseNote.objects.create(citizen=citizen, author=consultant, text="Notat")
    names = {pattern.name for pattern in citizen_urls.urlpatterns}
    assert names == {"list", "create", "detail", "edit", "reveal_cpr", "add_note"}
    for path in (f"/citizens/{citizen.pk}/notes/{note.pk}/", f"/citizens/{citizen.pk}/notes/{note.pk}/edit/",
                 f"/citizens/{citizen.pk}/notes/{note.pk}/delete/"):
        with pytest.raises(Resolver404):
            resolve(path)


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_it_accepts_only_post_on_the_notes_url(login, consultant, citizen, method):
    CaseNote.objects.create(citizen=citizen, author=consultant, text="Notat")
    response = getattr(login(consultant), method)(notes_url(citizen))
    assert response.status_code == 405
    assert CaseNote.objects.get().text == "Notat"


def test_it_gives_the_admin_no_way_to_change_or_delete_a_note(rf, admin_user):
    from django.contrib import admin

    note_admin = admin.site._registry[CaseNote]
    request = rf.get("/")
    request.user = admin_user
    assert not note_admin.has_change_permission(request)
    assert not note_admin.has_delete_permission(request)
    assert note_admin.has_view_permission(request)


def test_it_refuses_admin_changes_and_deletes_of_a_note(login, admin_user, consultant, citizen):
    note = CaseNote.objects.create(citizen=citizen, author=consultant, text="Notat")
    client = login(admin_user)
    change = reverse("admin:citizens_casenote_change", args=[note.pk])
    assert client.get(change).status_code == 200  # view only
    assert client.post(change, {"text": "Ændret"}).status_code == 403
    assert client.post(reverse("admin:citizens_casenote_delete", args=[note.pk]), {"post": "yes"}).status_code == 403
    note.refresh_from_db()
    assert note.text == "Notat"


def test_it_logs_each_view_of_the_detail_page(login, consultant, citizen):
    client = login(consultant)
    client.get(reverse("citizens:detail", args=[citizen.pk]))
    client.get(reverse("citizens:detail", args=[citizen.pk]))
    logs = AccessLog.objects.filter(action=AccessLog.Action.VIEW)
    assert logs.count() == 2
    assert {(log.user, log.object_id, log.municipality) for log in logs} == {
        (consultant, citizen.pk, citizen.municipality)
    }


def test_it_shows_the_detail_page_with_placements_and_notes(login, consultant, citizen, employer):
    from tests.factories import make_placement

    make_placement(citizen, employer)
    CaseNote.objects.create(citizen=citizen, author=consultant, text="Første samtale")
    response = login(consultant).get(reverse("citizens:detail", args=[citizen.pk]))
    html = response.content.decode()
    assert employer.name in html
    assert "Første samtale" in html
    assert 'id="notes"' in html


def test_it_shows_a_citizen_without_consultant_or_dates(login, consultant, fredericia):
    citizen = make_citizen(fredericia, consultant=None, first_name="Uden", last_name="Konsulent")
    response = login(consultant).get(reverse("citizens:detail", args=[citizen.pk]))
    assert response.status_code == 200
    assert "Uden Konsulent" in response.content.decode()
    listing = login(consultant).post(reverse("citizens:list"), {"consultant": ""})
    assert listing.status_code == 200
    assert "Uden Konsulent" in listing.content.decode()
