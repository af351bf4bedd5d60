"""The crawl's number check (tests/browser/crawl.py) tells a raw number from a formatted one."""

import pytest

from tests.browser.crawl import kind_of, number_problems


@pytest.mark.parametrize(
    "text, found",
    [
        ("Et fleksjob på højst 1E+1 timer", True),
        ("gennemsnit 20.0 timer", True),
        ("7.5 timer", True),
        ("10 timer, 7,5 timer", False),
        ("1.234 borgere", False),
        ("Kandidat 6E5A", False),
        ("27. feb. 2026 kl. 14:30", False),
    ],
)
def test_the_number_check_knows_a_raw_number_from_a_formatted_one(text, found):
    assert bool(number_problems(text, "da")) is found


def test_one_page_of_each_kind():
    assert kind_of("/citizens/12/edit/?page=3&q=x") == kind_of("/citizens/7/edit/?q=&page=1")
    assert kind_of("/citizens/12/") != kind_of("/citizens/12/edit/")
    assert kind_of("/taskforce/1/candidates/2IeTh9CU-p-ye00fhZB5eg/") == kind_of("/taskforce/1/candidates/UedHbqi-wZu2G4a2uRoWwA/")
