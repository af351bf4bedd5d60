"""Anonymised candidate profiles: only what fits a job, for citizens who consented, and a
"we would like to meet" that tells the responsible consultant without naming the citizen."""

import base64
import re
from datetime import date
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from citizens.models import CaseNote, Citizen
from workspace.access import candidate_token
from workspace.models import MeetingRequest
from tests.factories import make_citizen


def candidates_url(task_force, suffix=""):
    return f"/taskforce/{task_force.pk}/candidates/{suffix}"


@pytest.fixture
def candidate(fredericia, consultant):
    consultant.email = "karin.holm@fredericia.dk"
    consultant.save(update_fields=["email"])
    citizen = make_citizen(
        fredericia, consultant=consultant, cpr="1703851234", first_name="Gudrun", last_name="Spangsberg",
        phone="40414243", email="gudrun@example.dk", address="Prinsessegade 17, 7000 Fredericia",
        weekly_hours=Decimal("6"), competences="Erfaring fra storkøkken", wishes="Faste morgenvagter",
        travel_distance=Citizen.TravelDistance.UP_TO_15, consent_to_share_profile=True, status=Citizen.Status.READY,
    )
    CaseNote.objects.create(citizen=citizen, author=consultant, text="Hemmeligt notat om helbredet")
    return citizen


@pytest.fixture
def withheld(fredericia, consultant):
    """A citizen without consent."""
    return make_citizen(fredericia, consultant=consultant, first_name="Hjalmar", last_name="Uden-Samtykke",
                        competences="Truckcertifikat", consent_to_share_profile=False)


def personal_data(citizen):
    birth = citizen.birth_date
    return [
        citizen.first_name, citizen.last_name, "170385-1234", "1703851234", citizen.cpr_masked, "170385",
        citizen.phone, citizen.email, citizen.address, "Prinsessegade", "Hemmeligt notat",
        birth.isoformat(), f"{birth:%d.%m.%Y}", "17. marts 1985", "17. mar 1985",
    ]


def test_it_lists_only_consenting_citizens_in_an_active_status_of_the_municipality(
    login, leader_member, task_force, candidate, withheld, fredericia, odense
):
    make_citizen(fredericia, first_name="Placeret", consent_to_share_profile=True, status=Citizen.Status.PLACED)
    make_citizen(fredericia, first_name="Afsluttet", consent_to_share_profile=True, status=Citizen.Status.ENDED)
    in_course = make_citizen(fredericia, first_name="Kursist", consent_to_share_profile=True, status=Citizen.Status.IN_COURSE)
    make_citizen(odense, first_name="Odenseborger", consent_to_share_profile=True)
    response = login(leader_member.user).get(candidates_url(task_force))
    assert response.status_code == 200
    assert [p.token for p in response.context["profiles"]] == [candidate_token(candidate), candidate_token(in_course)]


def test_it_shows_only_what_fits_a_job(login, leader_member, task_force, candidate):
    client = login(leader_member.user)
    age = relativedelta(timezone.localdate(), date(1985, 3, 17)).years
    band = f"{age // 10 * 10}–{age // 10 * 10 + 9} år" if 30 <= age < 60 else None
    for url in (candidates_url(task_force), candidates_url(task_force, f"{candidate_token(candidate)}/")):
        html = client.get(url).content.decode()
        # The hours as a person reads them: 6, not "6,0" or "6.0".
        assert ("<td>6</td>" in html or "<dd>6</dd>" in html) and "6,0" not in html and "6.0" not in html
        assert "Erfaring fra storkøkken" in html and "Faste morgenvagter" in html
        assert "5–15 km" in html
        if band:
            assert band in html
        for value in personal_data(candidate):
            assert value not in html, value
        assert f"/citizens/{candidate.pk}/" not in html


def test_it_gives_404_for_a_bad_token(login, leader_member, task_force, candidate):
    client = login(leader_member.user)
    assert client.get(candidates_url(task_force, "not-a-token/")).status_code == 404
    assert client.get(candidates_url(task_force, f"{candidate.pk}/")).status_code == 404
    token = candidate_token(candidate)
    assert client.get(candidates_url(task_force, token[:-2] + "xx/")).status_code == 404


def test_it_gives_404_for_a_citizen_without_consent(login, leader_member, task_force, withheld):
    client = login(leader_member.user)
    assert client.get(candidates_url(task_force, f"{candidate_token(withheld)}/")).status_code == 404
    assert "Truckcertifikat" not in client.get(candidates_url(task_force)).content.decode()


def test_it_gives_404_for_a_citizen_of_another_municipality(login, leader_member, task_force, odense):
    foreign = make_citizen(odense, consent_to_share_profile=True)
    assert login(leader_member.user).get(candidates_url(task_force, f"{candidate_token(foreign)}/")).status_code == 404


def test_it_gives_404_once_consent_is_withdrawn(login, leader_member, task_force, candidate):
    token = candidate_token(candidate)
    Citizen.objects.filter(pk=candidate.pk).update(consent_to_share_profile=False)
    assert login(leader_member.user).get(candidates_url(task_force, f"{token}/")).status_code == 404


def test_it_gives_404_to_non_members(login, manager, other_leader_member, task_force, candidate):
    token = candidate_token(candidate)
    for user in (manager, other_leader_member.user):
        assert login(user).get(candidates_url(task_force)).status_code == 404
        assert login(user).get(candidates_url(task_force, f"{token}/")).status_code == 404
    # Through the other task force's own workspace the citizen is not a candidate either.
    other = other_leader_member.task_force
    assert login(other_leader_member.user).get(candidates_url(other, f"{token}/")).status_code == 404


def test_it_tells_the_responsible_consultant_without_naming_the_citizen(
    login, leader_member, task_force, candidate, mailoutbox, django_capture_on_commit_callbacks
):
    url = candidates_url(task_force, f"{candidate_token(candidate)}/")
    with django_capture_on_commit_callbacks(execute=True):
        response = login(leader_member.user).post(url, {"message": "Vi har en køkkenstilling på 6 timer."})
    assert response.status_code == 302
    request = MeetingRequest.objects.get()
    assert (request.citizen, request.member, request.handled_at) == (candidate, leader_member, None)
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["karin.holm@fredericia.dk"]
    text = mail.subject + mail.body
    assert "Lillebælt Byg ApS" in text and "Vi har en køkkenstilling på 6 timer." in text
    for value in personal_data(candidate):
        assert value not in text, value
    assert not re.search(r"\d{6}-?\d{4}", text)


def test_it_refuses_a_second_request_while_one_is_open(
    login, leader_member, task_force, candidate, mailoutbox, django_capture_on_commit_callbacks
):
    url = candidates_url(task_force, f"{candidate_token(candidate)}/")
    client = login(leader_member.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"message": ""})
        response = client.post(url, {"message": "Igen"}, follow=True)
    assert "I har allerede bedt om at møde denne kandidat." in response.content.decode()
    assert MeetingRequest.objects.count() == 1 and len(mailoutbox) == 1
    MeetingRequest.objects.update(handled_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"message": "En ny stilling"})
    assert MeetingRequest.objects.count() == 2 and len(mailoutbox) == 2


def test_it_lets_only_members_ask_to_meet(login, consultant, task_force, candidate):
    url = candidates_url(task_force, f"{candidate_token(candidate)}/")
    assert login(consultant).get(url).status_code == 200
    assert login(consultant).post(url, {"message": ""}).status_code == 403
    assert not MeetingRequest.objects.exists()


def test_it_names_a_candidate_by_a_stable_opaque_token(login, leader_member, task_force, candidate):
    token = candidate_token(candidate)
    assert token == candidate_token(Citizen.objects.get(pk=candidate.pk))
    # Opaque: the URL carries an encrypted block, not the citizen's id.
    block = base64.urlsafe_b64decode(token + "==")
    assert len(block) == 16 and block[8:] != candidate.pk.to_bytes(8, "big")
    client = login(leader_member.user)
    first = client.get(candidates_url(task_force)).context["profiles"][0]
    again = client.get(candidates_url(task_force)).context["profiles"][0]
    assert (first.token, first.code) == (again.token, again.code) == (token, first.code)
    assert client.get(candidates_url(task_force, f"{token}/")).context["profile"].code == first.code


def test_it_shows_no_candidates_tab_to_a_manager(login, manager, leader_member, task_force):
    assert "Kandidater" not in login(manager).get(f"/taskforce/{task_force.pk}/").content.decode()
    assert "Kandidater" in login(leader_member.user).get(f"/taskforce/{task_force.pk}/").content.decode()


def test_it_shows_the_age_band_in_the_language_of_the_request(fredericia):
    from django.utils import translation

    from workspace import selectors

    young = make_citizen(fredericia, cpr=f"0101{(timezone.localdate().year - 20) % 100:02d}4000")
    with translation.override("en"):
        assert str(selectors.candidate_profile(young, timezone.localdate()).age_band) == "under 30 years"
    with translation.override("da"):
        assert str(selectors.candidate_profile(young, timezone.localdate()).age_band) == "under 30 år"


def test_it_shows_25_candidates_a_page_with_links_to_the_others(login, leader_member, task_force, fredericia):
    for i in range(27):
        make_citizen(fredericia, consent_to_share_profile=True, status=Citizen.Status.READY, competences=f"Kompetence {i}")
    client = login(leader_member.user)
    first = client.get(candidates_url(task_force))
    assert len(first.context["profiles"]) == 25
    html = first.content.decode()
    assert 'href="?page=2"' in html and "Side 1 af 2" in html
    second = client.get(candidates_url(task_force), {"page": 2})
    assert len(second.context["profiles"]) == 2
    assert 'href="?page=1"' in second.content.decode()
    tokens = {p.token for p in first.context["profiles"]} | {p.token for p in second.context["profiles"]}
    assert len(tokens) == 27
    # A page number out of range or not a number shows a page, not an error.
    assert client.get(candidates_url(task_force), {"page": "x"}).status_code == 200
    assert len(client.get(candidates_url(task_force), {"page": 99}).context["profiles"]) == 2


def test_the_candidate_list_logs_who_saw_which_profiles(login, leader_member, task_force, candidate, withheld):
    from audit.models import AccessLog, AccessLogCitizen
    from workspace.selectors import CANDIDATE_PURPOSE

    login(leader_member.user).get(candidates_url(task_force))
    row = AccessLog.objects.get(action=AccessLog.Action.LIST)
    assert (row.user, row.purpose, row.municipality_id) == (leader_member.user, CANDIDATE_PURPOSE, task_force.municipality_id)
    assert list(AccessLogCitizen.objects.filter(entry=row).values_list("citizen_id", flat=True)) == [candidate.pk]
