"""The import report: it keeps the count of every issue but only the first 200, and masks
CPR numbers wherever a value is repeated in it."""

import re

from accounts.access import CASEWORK_ROLES, municipalities_for
from imports.report import ImportReport, scrub
from imports.services import citizens_import, placements_import
from tests.factories import make_cpr_with_modulus11

from .conftest import CITIZEN_HEADER, PLACEMENT_HEADER, source

CPR_LIKE = re.compile(r"[0-9]{6}-?[0-9]{4}|[0-9]{9}")


# --- A cap on the issues a report keeps ---------------------------------------------------

def citizens(user, rows, name="borgere.csv"):
    return citizens_import(
        user=user, source=source(rows, name), filename=name,
        municipalities=municipalities_for(user, CASEWORK_ROLES),
    )


def test_it_keeps_the_count_but_only_the_first_200_errors(consultant, fredericia):
    rows = [CITIZEN_HEADER] + [[make_cpr_with_modulus11(), "A", "B", "abc"] for _ in range(250)]
    report = citizens(consultant, rows)
    assert report.error_count == 250 and len(report.errors) == 200
    assert [issue.line for issue in report.sorted_errors()] == list(range(2, 202))
    assert "250 fejl" in report.summary()
    assert report.as_text().endswith("og 50 fejl mere")
    result = report.as_dict()
    assert (result["error_count"], len(result["errors"])) == (250, 200)


def test_it_keeps_the_first_200_by_line_whatever_order_they_were_found_in():
    report = ImportReport("citizens")
    for line in range(400, 1, -1):
        report.error(line, "cpr", "x")
    assert [issue.line for issue in report.errors] == list(range(2, 202))
    assert report.error_count == 399


def test_it_says_how_many_more_in_the_plural_or_singular():
    report = ImportReport("citizens")
    for line in range(2, 203):
        report.error(line, "", "x")
        report.warning(line, "", "y")
    assert report.more_errors_text() == "og 1 fejl mere"
    assert report.more_warnings_text() == "og 1 advarsel mere"
    report.warning(300, "", "y")
    assert report.more_warnings_text() == "og 2 advarsler mere"


def test_it_renders_only_the_first_200_errors_and_how_many_more(login, consultant, fredericia, post_and_run):
    from .conftest import upload

    rows = [CITIZEN_HEADER] + [[make_cpr_with_modulus11(), "A", "B", "abc"] for _ in range(203)]
    html = post_and_run(login(consultant), "/imports/citizens/", {"citizens-file": upload(rows)}).content.decode()
    assert "Der er 203 fejl i filen" in html
    assert html.count("er ikke en kommunekode") == 200
    assert "og 3 fejl mere" in html


# --- CPR numbers masked wherever a value is repeated -------------------------------------

def test_it_masks_cpr_numbers_in_every_repeated_value(consultant, fredericia):
    number = make_cpr_with_modulus11()
    dashed = f"{number[:6]}-{number[6:]}"
    rows = [
        CITIZEN_HEADER + ["unemployed_since", "weekly_hours", "consultant"],
        [make_cpr_with_modulus11(), "A", "B", number, dashed, number, dashed],
        [make_cpr_with_modulus11(), "A", "B", "607", number, dashed, number],
    ]
    report = citizens(consultant, rows)
    text = report.as_text()
    assert report.error_count >= 5
    assert not CPR_LIKE.search(text), text
    assert f"{number[:6]}-XXXX" in text


def test_it_masks_a_cpr_number_typed_as_a_column_heading(consultant, fredericia):
    number = make_cpr_with_modulus11()
    report = citizens(consultant, [CITIZEN_HEADER + [number], [make_cpr_with_modulus11(), "A", "B", "607", "x"]])
    assert not report.ok and not CPR_LIKE.search(report.as_text() + str(report.as_dict()))


def test_it_masks_a_cpr_number_excel_stored_as_a_number_without_its_leading_zero(consultant, fredericia):
    number = make_cpr_with_modulus11("010190")
    rows = [CITIZEN_HEADER + ["unemployed_since"], [make_cpr_with_modulus11(), "A", "B", "607", int(number)]]
    report = citizens(consultant, rows, name="borgere.xlsx")
    assert not report.ok
    assert not CPR_LIKE.search(report.as_text()), report.as_text()
    assert number[1:] not in report.as_text()


def test_it_masks_cpr_numbers_in_the_placement_kind(consultant, fredericia, citizen, employer):
    number = make_cpr_with_modulus11()
    rows = [PLACEMENT_HEADER, [citizen.reveal_cpr(), employer.cvr, "", "", number, number, number, ""]]
    report = placements_import(user=consultant, source=source(rows), filename="a.csv", municipality=fredericia)
    assert report.error_count == 3 and not CPR_LIKE.search(report.as_text()), report.as_text()


def test_it_scrubs_only_cpr_like_numbers():
    assert scrub("0101901234 og 010190-1234 og 12345678 og 101901234") == (
        "010190-XXXX og 010190-XXXX og 12345678 og 010190-XXXX"
    )


def test_it_scrubs_a_cpr_number_in_any_shape_the_log_would_catch():
    # core.cpr_text: separators, a letter O for a zero, a URL's spelling; the birth date kept.
    for shape in ("01.01.90-1234", "010190 1234", "01/01/90 1234", "01019O-1234", "010190%2D1234"):
        assert scrub(f"«{shape}» er ikke et tal") == "«010190-XXXX» er ikke et tal", shape
    # A whole number inside a longer run is masked whole; a masked one stays as it is.
    assert scrub("01019012345") == "XXXXXX-XXXX"
    assert scrub("010190-XXXX") == "010190-XXXX"


def test_it_keeps_what_cannot_hold_a_whole_cpr_number():
    # A date, a CVR number, a limit or a line number of the user's own file reads as it was.
    for text in ("Datoen «2024-02-30» findes ikke.", "CVR-nummer 12345678", "højst 100.000 rækker", "linje 100001"):
        assert scrub(text) == text
