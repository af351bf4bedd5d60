"""The one rule for text that is or may be (part of) a CPR number (core.cpr_text): every shape
a number is typed in, every piece a search box sends while it is typed, and nothing shorter
than a birth date."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.cpr_text import MASK, WHOLE_CPR_DIGITS, cpr_like_runs, is_cpr_like, mask_cpr_like, run_digits

CPR_LIKE = [
    "0101901234",
    "010190-1234",
    "010190 1234",
    "010190 - 1234",
    "01.01.90-1234",
    "01/01/90 1234",
    "01019O-1234",  # a letter O for a zero
    "O1O19O-1234",
    "010190%2D1234",  # as a URL writes it
    "010190+1234",
    "010190%201234",
    # The pieces a search box posts while the number is typed.
    "010190",
    "0101901",
    "010190-1",
    "010190-123",
    "01.01.90",
    # Among words, or fused to them.
    "Bente 010190-1234",
    "cpr:0101901234",
    "CPR0101901234",
    # A date in figures, a CVR or phone number: generous, on purpose.
    "12.03.2026",
    "12345678",
    "75 10 20 30",
    "٠١٠١٩٠",  # digits of another script
]

NOT_CPR_LIKE = [
    "",
    "Bente Sørensen",
    "01019",
    "0101-9",
    "Holm 12345 Ole",  # the O of a name is no digit
    "Bo 1234",
    "OOOOOO",
    "side 12",
    "HTTP/1.1",
    "x86_64",
    "borger-id: 12, 345",
    "12%2034",  # the digits of %20 are no part of the number
]


@pytest.mark.parametrize("text", CPR_LIKE)
def test_it_recognises_a_cpr_number_in_any_shape_and_any_piece_of_one(text):
    assert is_cpr_like(text)
    masked = mask_cpr_like(text)
    assert MASK in masked and not is_cpr_like(masked)


@pytest.mark.parametrize("text", NOT_CPR_LIKE)
def test_it_leaves_text_with_fewer_than_six_digits_in_a_run_alone(text):
    assert not is_cpr_like(text)
    assert mask_cpr_like(text) == text


def test_it_masks_each_run_and_keeps_the_words_around_it():
    assert mask_cpr_like("Bente 010190-1234 og Ole 0101901235, side 2") == f"Bente {MASK} og Ole {MASK}, side 2"


def test_it_reads_the_digits_of_a_run_as_ascii_with_o_as_zero():
    assert run_digits("01.01.9O-1234") == "0101901234"
    assert run_digits("010190%2D1234") == "0101901234"
    assert run_digits("٠١٠١٩٠") == "010190"


def test_it_asks_for_a_whole_number_where_a_birth_date_may_stay():
    runs = [m.group() for m in cpr_like_runs("010190-XXXX, 2024-02-30, 101901234", WHOLE_CPR_DIGITS)]
    assert runs == ["101901234"]
    assert mask_cpr_like("ring 010190-1234", lambda run: f"<{run_digits(run)}>") == "ring <0101901234>"


@given(st.text(alphabet="0123456789Oo-./ +%2DFabc", max_size=60))
def test_whatever_is_masked_holds_no_cpr_like_run_after(text):
    assert not is_cpr_like(mask_cpr_like(text))


def test_it_takes_no_time_on_long_runs_of_o_or_separators():
    import time

    started = time.monotonic()
    for text in ("O" * 50_000 + "x", "1 " * 50_000, "1----" * 20_000, "o1" * 50_000):
        mask_cpr_like(text)
    assert time.monotonic() - started < 5
