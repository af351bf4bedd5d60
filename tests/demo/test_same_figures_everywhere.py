"""The demo says the same thing everywhere: the command, the JSON,
the page and the PDF all show 164 / 50 / 39 private / 11 public as of 1 April, and the
Odense course shows the funnel 25 → 23 → 23."""

import json
import re
import shutil
import subprocess
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from courses.models import Course
from taskforce.management.commands.seed_demo import demo_year

from .test_seed_demo import PASSWORD, seed


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = True
    seed()


@pytest.fixture
def april_1():
    return f"{demo_year(timezone.localdate())}-04-01"


def logged_in(client, username):
    assert client.post("/accounts/login/", {"username": username, "password": PASSWORD}).status_code == 302
    return client


def test_the_command_the_json_and_the_page_agree_on_1_april(seeded, client, april_1):
    out = StringIO()
    call_command("progress", municipality=607, as_of=april_1, json=True, stdout=out)
    from_command = json.loads(out.getvalue())

    chef = logged_in(client, "chef")
    from_json = chef.get(f"/progress.json?municipality=607&as_of={april_1}").json()
    assert from_json == from_command
    assert (from_json["target"], from_json["new_flex_jobs"], from_json["private"], from_json["public"]) == (164, 50, 39, 11)

    page = chef.get(f"/dashboard/?municipality=607&as_of={april_1}").content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "50 af 164 nye fleksjob (30 %)" in text
    assert re.search(r"Private virksomheder 39 78 %", text)
    assert re.search(r"Offentlige arbejdspladser 11 22 %", text)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_the_pdf_status_report_shows_the_same_figures(seeded, client, april_1, tmp_path):
    response = logged_in(client, "chef").get(f"/dashboard/status.pdf?municipality=607&as_of={april_1}")
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "status.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Status pr. 1. april" in text
    assert re.search(r"50\s+af\s+164", text)
    assert re.search(r"Private virksomheder\s+39", text)
    assert re.search(r"Offentlige arbejdspladser\s+11", text)
    assert "Prognose" in text


def test_the_odense_course_funnel_is_25_23_23(seeded, client):
    course = Course.objects.with_funnel().get(municipality__code=461)
    assert (course.enrolled, course.completed, course.hired) == (25, 23, 23)
    page = logged_in(client, "konsulent-odense").get(f"/courses/{course.pk}/").content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "Tilmeldt 25 → Gennemført 23 → Ansat 23" in text
