"""core.numbers: a number as a person reads it, in the language of the request."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from core.numbers import number


@pytest.mark.parametrize(
    ("value", "danish", "english"),
    [
        (Decimal("10"), "10", "10"),
        (Decimal("10.0"), "10", "10"),
        (Decimal("1E+1"), "10", "10"),  # normalize()'s own result, written out
        (Decimal("7.50"), "7,5", "7.5"),
        (Decimal("0.5"), "0,5", "0.5"),
        (Decimal("0.0"), "0", "0"),
        (7.5, "7,5", "7.5"),
        (0.1, "0,1", "0.1"),
        (37, "37", "37"),
        (None, "", ""),
    ],
)
def test_it_writes_a_number_as_the_language_does(value, danish, english):
    with translation.override("da"):
        assert number(value) == danish
    with translation.override("en"):
        assert number(value) == english


def test_the_template_filter_is_the_same_rule():
    with translation.override("da"):
        html = Template("{% load numbers %}{{ hours|number }} / {{ none|number }}").render(
            Context({"hours": Decimal("7.50"), "none": None})
        )
    assert html == "7,5 / "


@pytest.mark.parametrize(
    ("value", "held"),
    [(Decimal("8.0"), "8"), (Decimal("10"), "10"), (Decimal("7.50"), "7.5"), (Decimal("0.5"), "0.5"), ("7,5", "7,5"), (None, None)],
)
def test_an_input_box_holds_a_decimal_without_trailing_zeros_or_an_exponent(value, held):
    from core.numbers import plain

    assert plain(value) == held
