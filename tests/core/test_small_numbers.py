"""The small-number rule on its own: a figure from 1 to 4, shown or worked out, hides its
whole unit; 0 and 5 or more are shown; a headline reads "under 5"."""

import pytest
from django.utils import translation

from core.small_numbers import HIDDEN, SMALL_COUNT, disclosed, shown_total, shown_unit, total_hidden


@pytest.mark.parametrize("value, shown", [(0, True), (1, False), (4, False), (5, True), (164, True), (-3, False), (-5, True)])
def test_it_discloses_0_and_counts_of_5_or_more_only(value, shown):
    assert disclosed([value]) is shown


def test_it_discloses_figures_only_when_every_one_of_them_may_be_shown():
    assert disclosed([])
    assert disclosed([0, 5, 39, 11])
    assert not disclosed([50, 39, 11, 4])


def test_it_shows_a_unit_exactly_when_its_cells_and_what_they_reveal_are_safe():
    assert shown_unit({"private": 39, "public": 11}, derived=[50 - 39, 50 - 11]) == {"private": 39, "public": 11}


def test_it_hides_every_cell_of_a_unit_when_one_cell_is_small():
    assert shown_unit({"private": 46, "public": 4}) == {"private": HIDDEN, "public": HIDDEN}


def test_it_hides_every_cell_of_a_unit_when_a_figure_worked_out_from_it_is_small():
    # 12 and 9 are safe, but the reader subtracts: 12 - 9 = 3.
    assert shown_unit({"pledged": 12, "filled": 9}, derived=[12 - 9]) == {"pledged": HIDDEN, "filled": HIDDEN}


def test_it_shows_a_headline_of_1_to_4_as_under_5_in_the_users_language():
    assert [shown_total(n) for n in (0, 5, 50)] == [0, 5, 50]
    with translation.override("da"):
        assert str(shown_total(3)) == "under 5"
    with translation.override("en"):
        assert str(shown_total(1)) == "under 5"
    assert [total_hidden(n) for n in (0, 1, SMALL_COUNT - 1, SMALL_COUNT)] == [False, True, True, False]
