"""Exports of the dashboard: the counted placements as CSV and XLSX (no CPR numbers, no
names), and the status report for the employment committee as PDF."""

import csv
import io
import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from core.spreadsheets import csv_cell

from placements.models import Placement
from progress.dashboard import build_dashboard
from progress.reports import COLUMNS
from tests.factories import make_citizen, make_employer

from .conftest import APRIL_1

APRIL = {"municipality": 607, "as_of": "2026-04-01"}
CPRS = ["0101901234", "1502857890", "3112694321"]


@pytest.fixture
def counted(target, hire, fredericia, private_employer, public_employer):
    """Three counted flex jobs, of citizens with known CPR numbers and names, and three not counted."""
    citizens = [
        make_citizen(fredericia, cpr=cpr, first_name=first, last_name=last)
        for cpr, (first, last) in zip(CPRS, [("Birthe", "Kjærgaard"), ("Mads", "Østergaard"), ("Yasmin", "Aydin")])
    ]
    hire(date(2026, 1, 5), citizen=citizens[0], employer=private_employer, hours_per_week=Decimal("4.5"))
    hire(date(2026, 2, 5), citizen=citizens[1], employer=public_employer, end_date=date(2026, 3, 1))
    hire(date(2026, 3, 5), citizen=citizens[2], employer=private_employer, hours_per_week=Decimal("15"),
         first_flexjob=True)  # fmt: skip
    hire(date(2026, 3, 6), kind=Placement.Kind.INTERNSHIP)
    hire(date(2026, 4, 2))
    return citizens


def download(client, name, **params):
    return client.get(reverse(f"progress:{name}"), {**APRIL, **params})


def csv_rows(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def assert_no_personal_data(text, citizens):
    digits = re.sub(r"\D", "", text)
    for citizen, cpr in zip(citizens, CPRS):
        assert cpr not in digits
        assert cpr[:6] + "-" + cpr[6:] not in text
        assert citizen.first_name not in text
        assert citizen.last_name not in text


def test_it_exports_one_csv_row_per_counted_placement(login, manager, counted):
    response = download(login(manager), "export_csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="fleksjob-607-2026-04-01.csv"' in response["Content-Disposition"]
    header, *rows = csv_rows(response)
    assert header[:5] == ["Startdato", "Slutdato", "Stadig i job", "Type", "Timer om ugen"]
    # Danish: a decimal comma, which Danish Excel reads as a number ("4.5" it reads as a date).
    assert [(row[0], row[1], row[2], row[3], row[4], row[7]) for row in rows] == [
        ("2026-01-05", "", "Ja", "Mini-fleksjob", "4,5", "Lillebælt Byg ApS"),
        ("2026-02-05", "2026-03-01", "Nej", "Mini-fleksjob", "8,0", "Fredericia Kommune, Ældreplejen"),
        ("2026-03-05", "", "Ja", "Fleksjob", "15,0", "Lillebælt Byg ApS"),
    ]
    assert [row[5] for row in rows] == ["Nej", "Nej", "Ja"]  # first flex job
    assert [row[9] for row in rows] == ["Privat", "Offentlig", "Privat"]


def test_it_writes_the_csv_in_the_users_language(login, manager, counted):
    # A user who chose English gets the headings and the decimal point of an English
    # spreadsheet; the separator stays a semicolon.
    client = login(manager)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = download(client, "export_csv")
    assert response.content.decode("utf-8").splitlines()[0].count(";") == len(COLUMNS) - 1
    header, *rows = csv_rows(response)
    assert header[:2] == ["Start date", "End date"]
    assert [row[4] for row in rows] == ["4.5", "8.0", "15.0"]


def test_it_writes_no_csv_number_a_danish_spreadsheet_would_misread(login, manager, target, hire):
    hire(date(2026, 3, 1), hours_per_week=Decimal("10"))
    hire(date(2026, 3, 2), hours_per_week=Decimal("0.5"))
    rows = csv_rows(download(login(manager), "export_csv"))[1:]
    assert [row[4] for row in rows] == ["10,0", "0,5"]
    for row in rows:
        for cell in row:
            assert not re.fullmatch(r"-?\d+\.\d+|.*\dE[+-]?\d.*", cell), cell


@pytest.mark.parametrize("value, danish, english", [
    (Decimal("4.5"), "4,5", "4.5"),
    (Decimal("1E+1"), "10", "10"),  # never an exponent
    (Decimal("-0.25"), "-0,25", "-0.25"),  # a number, not a formula
    (20.0, "20,0", "20.0"),
    (7, "7", "7"),
    (None, "", ""),
    (date(2026, 4, 1), "2026-04-01", "2026-04-01"),
    ("=1+1", "'=1+1", "'=1+1"),
])  # fmt: skip
def test_it_writes_each_kind_of_csv_cell_in_the_language(value, danish, english):
    with translation.override("da"):
        assert csv_cell(value) == danish
    with translation.override("en"):
        assert csv_cell(value) == english


def test_it_keeps_cpr_numbers_and_names_out_of_the_csv(login, manager, counted):
    text = download(login(manager), "export_csv").content.decode("utf-8")
    assert_no_personal_data(text, counted)


def test_it_neutralises_employer_names_that_look_like_formulas(login, manager, target, hire, fredericia):
    formulas = ['=HYPERLINK("http://x.invalid","klik")', "+45 Byg", "-Minus ApS", "@SUM(A1)"]
    for name in formulas:
        hire(employer=make_employer(fredericia, name=name))
    response = download(login(manager), "export_csv")
    assert sorted(row[7] for row in csv_rows(response)[1:]) == sorted("'" + name for name in formulas)


def test_it_exports_the_counted_placements_as_xlsx(login, manager, counted):
    from openpyxl import load_workbook

    response = download(login(manager), "export_xlsx")
    assert response.status_code == 200
    assert 'filename="fleksjob-607-2026-04-01.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Overblik", "Fleksjob", "Pr. virksomhed", "Pr. branche"]
    sheet = workbook["Fleksjob"]
    header, *rows = list(sheet.values)
    assert header[0] == "Startdato" and header[7] == "Virksomhed"
    assert [(row[0].date(), row[1] and row[1].date(), row[2], row[4], row[7]) for row in rows] == [
        (date(2026, 1, 5), None, "Ja", 4.5, "Lillebælt Byg ApS"),
        (date(2026, 2, 5), date(2026, 3, 1), "Nej", 8, "Fredericia Kommune, Ældreplejen"),
        (date(2026, 3, 5), None, "Ja", 15, "Lillebælt Byg ApS"),
    ]
    # Real cells: dates shown as Danish dates, hours as numbers, not text.
    start, end, hours = sheet["A3"], sheet["B3"], sheet["E2"]
    assert start.is_date and end.is_date and start.number_format == end.number_format == "dd-mm-yyyy"
    assert hours.data_type == "n" and isinstance(hours.value, float)
    # Every employer and industry, most first (the dashboard shows the ten with the most).
    assert list(workbook["Pr. virksomhed"].values)[1:] == [
        ("Lillebælt Byg ApS", "Privat", "Nej", "Byggeri", 2, 2),
        ("Fredericia Kommune, Ældreplejen", "Offentlig", "Nej", "Pleje", 1, 0),
    ]
    assert list(workbook["Pr. branche"].values)[1:] == [("Byggeri", 2), ("Pleje", 1)]
    for name in workbook.sheetnames:
        text = " ".join(str(value) for row in workbook[name].values for value in row if value is not None)
        assert_no_personal_data(text, counted)


def summary(response):
    """The XLSX's first sheet as {label: cell}."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert workbook.active.title == sheet.title == "Overblik"
    return {row[0].value: row[1] for row in sheet.iter_rows(min_row=2) if len(row) > 1 and row[1].value is not None}


def test_it_opens_the_xlsx_on_the_dashboards_headline_figures(login, manager, counted):
    cells = summary(download(login(manager), "export_xlsx"))
    values = {label: cell.value for label, cell in cells.items()}
    assert values["Kommune"] == "Fredericia"
    assert values["Kommunenummer"] == 607
    assert values["Mål"] == "164 nye fleksjob i 2026"
    assert (values["Mål, antal nye fleksjob"], values["Nye fleksjob"]) == (164, 3)
    assert (values["Private virksomheder"], values["Offentlige arbejdspladser"], values["Stadig i job"]) == (2, 1, 2)
    assert values["Andel af målet"] == 0.02 and cells["Andel af målet"].number_format == "0%"
    # The forecast as the dashboard gives it: 3 flex jobs in 91 days, 1,0 a month.
    assert values["Tempo indtil nu, nye fleksjob om måneden"] == 1.0
    assert values["Prognose: målet nås i det tempo den"].date() == date(2039, 8, 15)
    assert cells["Prognose: målet nås i det tempo den"].number_format == "dd-mm-yyyy"
    assert values["Prognose: målet nås inden periodens udløb"] == "Nej"
    assert values["Nødvendigt tempo fra nu, nye fleksjob om måneden"] == 17.9  # 161 to go in 274 days
    for label in ("Kommunenummer", "Mål, antal nye fleksjob", "Nye fleksjob", "Private virksomheder",
                  "Offentlige arbejdspladser", "Stadig i job", "Andel af målet"):
        assert cells[label].data_type == "n" and isinstance(cells[label].value, (int, float)), label
    for label, day in (("Målperiodens start", date(2026, 1, 1)), ("Målperiodens slut", date(2026, 12, 31)),
                       ("Status pr.", date(2026, 4, 1))):
        assert cells[label].is_date and cells[label].value.date() == day, label
        assert cells[label].number_format == "dd-mm-yyyy"


def test_it_gives_the_same_headline_figures_as_the_dashboard(login, manager, counted, fredericia):
    d = build_dashboard(fredericia, APRIL_1, masked=False)
    values = {label: cell.value for label, cell in summary(download(login(manager), "export_xlsx")).items()}
    p = d.progress
    assert (values["Nye fleksjob"], values["Private virksomheder"], values["Offentlige arbejdspladser"]) == (
        p.new_flex_jobs, p.private, p.public)
    assert round(values["Andel af målet"] * 100) == p.percent
    assert values["Tempo indtil nu, nye fleksjob om måneden"] == d.forecast.pace_per_month
    assert values["Prognose: målet nås i det tempo den"].date() == d.forecast.reached_on


def test_it_keeps_formulas_out_of_the_xlsx(login, manager, target, hire, fredericia):
    from openpyxl import load_workbook

    hire(employer=make_employer(fredericia, name="=1+1"))
    response = download(login(manager), "export_xlsx")
    sheet = load_workbook(io.BytesIO(response.content))["Fleksjob"]
    cell = list(sheet.iter_rows(min_row=2, max_row=2))[0][7]
    assert (cell.value, cell.data_type) == ("'=1+1", "s")


def test_it_exports_only_the_header_when_nothing_is_counted(login, manager, target):
    assert len(csv_rows(download(login(manager), "export_csv"))) == 1


def test_it_renders_the_status_report_as_pdf(login, manager, counted):
    response = download(login(manager), "status_pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert len(response.content) > 1000
    assert 'filename="status-607-2026-04-01.pdf"' in response["Content-Disposition"]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_it_prints_the_figures_in_the_pdf(login, manager, counted, tmp_path):
    pdf = tmp_path / "status.pdf"
    pdf.write_bytes(download(login(manager), "status_pdf").content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = " ".join(text.split())
    assert "Status pr. 1. april 2026" in text
    assert "3 af 164 nye fleksjob (2 %)" in text
    assert "Prognose" in text
    assert_no_personal_data(text, counted)


def test_it_renders_the_report_with_the_figures_the_chart_and_the_forecast(counted, fredericia):
    html = render_to_string("progress/report.html", {"d": build_dashboard(fredericia, APRIL_1, masked=False)})
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "Status pr. 1. april 2026" in text
    assert "3 af 164 nye fleksjob (2 %) pr. 1. april 2026" in text
    assert "Private virksomheder 2" in text
    assert "Offentlige arbejdspladser 1" in text
    assert "Tempo indtil nu" in text and "om måneden" in text
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html and "<title" in html
    assert "Nye fleksjob pr. måned" in text
    assert "<script" not in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")  # nothing fetched


@pytest.mark.parametrize("name", ["export_csv", "export_xlsx", "status_pdf"])
def test_it_refuses_a_leader_the_exports(login, leader, counted, name):
    assert download(login(leader), name).status_code == 403


@pytest.mark.parametrize("name", ["export_csv", "export_xlsx", "status_pdf"])
def test_it_gives_an_outsider_404_on_the_exports(login, outsider, counted, name):
    assert download(login(outsider), name).status_code == 404


@pytest.mark.parametrize("name", ["export_csv", "export_xlsx", "status_pdf"])
def test_it_gives_404_for_another_municipalitys_exports(login, manager, counted, odense, name):
    assert download(login(manager), name, municipality=461).status_code == 404


@pytest.mark.parametrize("name", ["export_csv", "export_xlsx", "status_pdf"])
def test_it_lets_a_consultant_and_an_admin_export(login, consultant, admin_user, counted, name):
    assert download(login(consultant), name).status_code == 200
    assert download(login(admin_user), name).status_code == 200
