"""A leader logs in and follows every link they can reach: no page shows a CPR number
(full or masked), a citizen's name or a case note, and none fails. The downloads are opened
too: the text of every PDF and every XLSX workbook is read (tests/documents.py) and searched
the same way; a manager's crawl reaches the dashboard's exports."""

import io
import re
from collections import deque
from datetime import date, timedelta
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.utils import timezone

from citizens.models import CaseNote, Citizen
from courses.models import Course, Enrolment
from employers.models import Opening
from progress.models import Target
from workspace import services
from workspace.models import Comment, Contribution, MeetingRequest, VisionVersion
from tests.factories import make_citizen, make_employer, make_placement

from tests.factories import make_action, make_round, make_solution, make_workshop
from tests.documents import pdf_text, xlsx_text

MAX_PAGES = 200
SKIP_PREFIXES = ("/accounts/logout/", "/i18n/", "/admin/", "/static/")
DOWNLOADS = (".ics", ".csv", ".pdf", ".xlsx")
# Distinctive names and notes, so a hit can only be a leak.
PEOPLE = [
    ("Ingeborg", "Quistgaard", "1703851234", True, Citizen.Status.READY),
    ("Valdemar", "Ruskjær", "0211724321", True, Citizen.Status.REGISTERED),
    ("Yrsa", "Blåbjerg", "2904911118", False, Citizen.Status.READY),
    ("Zakarias", "Østerlund", "1112681239", True, Citizen.Status.PLACED),
    ("Henrietta", "Kvistgård", "0507802226", False, Citizen.Status.PLACED),
    ("Bodil", "Fjordside", "3001871357", True, Citizen.Status.IN_COURSE),
]


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "href" and value:
                self.hrefs.append(value)


def links_in(page_url, html):
    parser = Links()
    parser.feed(html)
    for href in parser.hrefs:
        url, _fragment = urldefrag(urljoin(page_url, href))
        parts = urlsplit(url)
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            continue  # mailto:, other sites
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path and not path.startswith(SKIP_PREFIXES):
            yield path


@pytest.fixture
def world(fredericia, odense, consultant, employer, leader_member, co_leader_member, staff_member, facilitator_member,
          other_leader_member):
    """A task force in full swing, and citizens in every state around it."""
    tf = leader_member.task_force
    today = timezone.localdate()
    Target.objects.create(municipality=fredericia, title="Nye fleksjob", number=164,
                          period_start=date(today.year, 1, 1), period_end=date(today.year, 12, 31))
    public = make_employer(fredericia, name="Fredericia Kommune, Ældreplejen", sector="public")
    citizens = []
    for first, last, cpr, consent, status in PEOPLE:
        citizen = make_citizen(
            fredericia, consultant=consultant, cpr=cpr, first_name=first, last_name=last, status=status,
            consent_to_share_profile=consent, phone="40414243", email=f"{first.lower()}@example.dk",
            address=f"{last}vej 3, 7000 Fredericia", weekly_hours=Decimal("6"),
            competences="Køkken og rengøring", wishes="Morgenvagter", travel_distance="5-15",
        )
        CaseNote.objects.create(citizen=citizen, author=consultant, text=f"Journalnotat om {first}s helbred og økonomi")
        citizens.append(citizen)
    foreign = make_citizen(odense, cpr="0101801111", first_name="Odvar", last_name="Udenbys", consent_to_share_profile=True)
    CaseNote.objects.create(citizen=foreign, author=consultant, text="Journalnotat i Odense")
    citizens.append(foreign)

    # The workspace: workshops, vision, solutions and a ranking, actions, contributions and pledges.
    past = make_workshop(tf, title="Workshop 1: Vision", days_from_now=-20, minutes="Visionen blev vedtaget.")
    make_workshop(tf, title="Workshop 2: Handlingsplan", days_from_now=10)
    VisionVersion.objects.create(task_force=tf, author=leader_member, text="Et udkast")
    services.vision_adopt(version=VisionVersion.objects.create(task_force=tf, author=co_leader_member, text="Visionen"),
                          workshop=past)
    solutions = [make_solution(tf, leader_member, title=f"Løsning {i}") for i in range(3)]
    Comment.objects.create(solution=solutions[0], author=co_leader_member, text="God idé")
    closed = make_round(tf, title="Runde 1")
    services.score_save(round=closed, member=leader_member, solution=solutions[0], impact=4, effort=2, dots=3)
    services.round_close(round=closed)
    open_round = make_round(tf, title="Runde 2")
    services.score_save(round=open_round, member=co_leader_member, solution=solutions[1], impact=2, effort=4, dots=2)
    action = make_action(tf, leader_member, solution=solutions[0])
    make_action(tf, staff_member, title="Forsinket", due_date=today - timedelta(days=3))
    Contribution.objects.create(action=action, member=co_leader_member, kind="competence", description="Mentortimer")
    pledge = services.pledge_create(action=action, member=leader_member, title="Mini-fleksjob", tasks="",
                                    hours_min=4, hours_max=8, positions=3)
    services.pledge_open(pledge=pledge)
    Opening.objects.create(employer=employer, title="Pedelmedhjælper", hours_min=4, hours_max=8)
    MeetingRequest.objects.create(citizen=citizens[0], member=leader_member, message="Vi vil gerne mødes")

    # Placements at the leader's company (one fills the pledge), elsewhere and in a course.
    make_placement(citizens[3], employer, start_date=date(today.year, 1, 15), opening=pledge.opening)
    make_placement(citizens[4], public, start_date=date(today.year, 1, 20))
    course = Course.objects.create(municipality=fredericia, title="Køkken med jobløfte", start_date=date(today.year, 1, 5))
    course.employers.add(employer)
    Enrolment.objects.create(course=course, citizen=citizens[5])
    return citizens


def forbidden_strings(last_names):
    """Every citizen's CPR number (with and without the dash, and masked), name and case
    notes; last names on their own too where they are distinctive."""
    for citizen in Citizen.objects.all():
        number = citizen.reveal_cpr()
        yield number
        yield number.replace("-", "")
        yield citizen.cpr_masked
        yield citizen.full_name
        if last_names:
            yield citizen.last_name
    yield from CaseNote.objects.values_list("text", flat=True)


PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def is_document(url, kind):
    """A link to a PDF or XLSX download: by its name or by a format parameter."""
    path, _sep, query = url.partition("?")
    return path.endswith(f".{kind}") or f"format={kind}" in query or f"fmt={kind}" in query


def readable_text(url, response):
    """What a person reads in the response: the page, or the text of a PDF or XLSX download
    (by its content type, or by its link when a download is sent as something else)."""
    content_type = response.get("Content-Type", "")
    if content_type.startswith(PDF) or (is_document(url, "pdf") and response.content.startswith(b"%PDF")):
        assert response.content.startswith(b"%PDF"), url
        text = pdf_text(response.content)
        return text + "\n" + "".join(text.split("\n"))  # and with a name broken over two runs joined
    if content_type.startswith(XLSX) or is_document(url, "xlsx"):
        return xlsx_text(response.content)
    return response.content.decode("utf-8", errors="replace")


def crawl(client, start="/", last_names=True, documents=None, skip=()):
    """Follow every same-site link breadth-first from `start` (but those starting with one of
    `skip`), checking each page and each PDF or XLSX download for personal data. Returns
    {url: status}; `documents`, a dict if given, gets {url: text} of every PDF and XLSX opened."""
    forbidden = list(forbidden_strings(last_names))
    queue, seen, statuses = deque([start]), {start}, {}
    while queue and len(statuses) < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        statuses[url] = response.status_code
        assert response.status_code < 500, url
        body = readable_text(url, response) if response.status_code == 200 else ""
        if documents is not None and response.get("Content-Type", "").startswith((PDF, XLSX)):
            documents[url] = body
        for value in forbidden:
            assert value not in body, f"{value!r} on {url}"
        assert not re.search(r"\b\d{6}-(\d{4}|XXXX)\b", body), url
        if response.status_code in (301, 302):
            location = urlsplit(response["Location"])
            targets = [location.path + (f"?{location.query}" if location.query else "")]
        elif "text/html" in response.get("Content-Type", ""):
            targets = list(links_in(url, body))
        else:
            targets = []  # downloads: read above, never followed
        for target in targets:
            if target not in seen and not target.startswith(SKIP_PREFIXES + tuple(skip)):
                seen.add(target)
                queue.append(target)
    return statuses


def test_it_shows_a_leader_no_cpr_number_name_or_case_note_on_any_page(client, leader_member, world):
    assert Citizen.objects.count() == len(PEOPLE) + 1 and CaseNote.objects.count() == len(PEOPLE) + 1
    client.force_login(leader_member.user)
    documents = {}
    statuses = crawl(client, documents=documents)
    reached = set(statuses)
    tf = leader_member.task_force.pk
    # The crawl went everywhere a leader goes.
    for page in (f"/taskforce/{tf}/", f"/taskforce/{tf}/workshops/", f"/taskforce/{tf}/vision/",
                 f"/taskforce/{tf}/solutions/", f"/taskforce/{tf}/ranking/", f"/taskforce/{tf}/actions/",
                 f"/taskforce/{tf}/candidates/", f"/taskforce/{tf}/members/", f"/taskforce/{tf}/actions/export.csv",
                 f"/taskforce/{tf}/actions/export.pdf", "/employers/mine/", "/dashboard/?municipality=607"):
        assert page in reached, page
    profiles = [u for u in reached if u.startswith(f"/taskforce/{tf}/candidates/") and u != f"/taskforce/{tf}/candidates/"]
    assert len(profiles) == 3  # the three consenting citizens still looking for a job
    assert any(u.endswith(".ics") for u in reached)
    assert not any(u.startswith(("/citizens/", "/placements/", "/courses/")) for u in reached), reached
    dead = sorted(u for u, s in statuses.items() if s in (403, 404))
    assert dead == [], f"links a leader is shown but may not follow: {dead}"
    # The action plan's PDF was read, not just fetched: its text holds the plan.
    assert_read(documents, f"/taskforce/{tf}/actions/export.pdf", "Mini-fleksjob i tre små virksomheder")


def assert_read(documents, url, expected):
    assert url in documents, f"{url} was not opened as a document: {sorted(documents)}"
    assert expected in documents[url], f"{expected!r} not found in the text of {url}: the reader failed"


def test_it_shows_the_outside_facilitator_no_personal_data_either(client, facilitator_member, world):
    client.force_login(facilitator_member.user)
    tf = facilitator_member.task_force.pk
    documents = {}
    statuses = crawl(client, start=f"/taskforce/{tf}/", documents=documents)
    assert f"/taskforce/{tf}/candidates/" in statuses and f"/taskforce/{tf}/members/" in statuses
    assert not any(u.startswith(("/citizens/", "/placements/", "/courses/")) for u in statuses)
    dead = sorted(u for u, s in statuses.items() if s in (403, 404))
    assert dead == [], f"links the facilitator is shown but may not follow: {dead}"
    assert_read(documents, f"/taskforce/{tf}/actions/export.pdf", "Mini-fleksjob i tre små virksomheder")


def test_it_puts_no_cpr_number_name_or_case_note_in_the_managers_pages_and_downloads(client, manager, world):
    """The manager follows the figures: the dashboard's CSV, XLSX and PDF status report name
    employers, never citizens. (The access log's pages are left out: an access report names the
    citizen it is about, by design; who may open them is in tests/test_access_matrix.py.)"""
    client.force_login(manager)
    documents = {}
    statuses = crawl(client, documents=documents, skip=("/audit/",))
    assert not any(u.startswith(("/citizens/", "/placements/")) for u in statuses)
    # Managers read the courses' figures (issue 10); the crawl checks those pages for names too.
    assert any(u.startswith("/courses/") for u in statuses)
    xlsx = [u for u in documents if u.split("?")[0].endswith(".xlsx")]
    pdfs = [u for u in documents if u.split("?")[0].endswith("status.pdf")]
    assert xlsx and pdfs, f"the dashboard's downloads were not reached: {sorted(statuses)}"
    # Read, not just fetched: the placements' employers are in the workbook, the target in the report.
    assert all("Lillebælt Byg ApS" in documents[u] for u in xlsx)
    assert all("164" in documents[u] for u in pdfs)
    dead = sorted(u for u, s in statuses.items() if s in (403, 404))
    assert dead == [], f"links the manager is shown but may not follow: {dead}"


def test_the_document_reader_finds_what_weasyprint_and_openpyxl_wrote():
    """The crawls' checks of PDF and XLSX downloads could fail: the reader finds a name and a
    CPR number in documents made as ours are."""
    from openpyxl import Workbook
    from weasyprint import HTML

    pdf = HTML(string="<h1>Plan</h1><table><tr><td>Ingeborg Quistgaard</td><td>170385-1234</td></tr></table>"
                      "<p><b>Zakarias</b> Østerlund</p>").write_pdf()
    text = pdf_text(pdf)
    assert "Ingeborg Quistgaard" in text and "Østerlund" in text
    assert re.search(r"\b\d{6}-(\d{4}|XXXX)\b", text)
    assert "Zakarias Østerlund" in "".join(text.split("\n"))
    workbook = Workbook()
    workbook.active.append(["Yrsa Blåbjerg", "2904911118"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert "Yrsa Blåbjerg" in xlsx_text(buffer.getvalue()) and "2904911118" in xlsx_text(buffer.getvalue())
