"""Text that is, or may be, (part of) a CPR number: one rule for every place that keeps text a
person typed or a file held (the access log's searches and purposes, the import report, the
request logs), so that none of them keeps a number another would have caught.

A CPR number reaches us in many shapes: 0101901234, 010190-1234, 01.01.90-1234, 010190 1234,
01019O-1234 (a letter O for a zero), 010190%2D1234 in a URL; and a search box sends it one
keystroke at a time (010190, 0101901, 010190-12 …). So the rule is generous:

- a *run* is digits with separators between groups: - . / or white space, also as a URL
  writes them (+, %20, %2D, %2E, %2F), at most three in a row; a letter O standing among
  digits, not in a word, counts as a digit;
- a run is CPR-like when it holds CPR_LIKE_DIGITS (6: a birth date) or more digits in all,
  one of them at least a true digit.

A date (01.01.2026), a CVR number or a phone number is CPR-like too: better a search kept as
"CPR-søgning" than a birth date in clear. Where a text may keep a birth date (the import
report shows DDMMYY-XXXX), `mask_cpr_like` is asked only for runs that can hold a whole
number (WHOLE_CPR_DIGITS: 9, a number that lost its leading zero in a spreadsheet).

(citizens.cpr.cpr_normalize is another matter: it reads a number typed where a CPR number is
asked for, and accepts only a whole, valid one.)
"""

import re

CPR_LIKE_DIGITS = 6
WHOLE_CPR_DIGITS = 9
MASK = "XXXXXX-XXXX"

_LETTER = r"[^\W\d_]"
# A digit, or letters O standing for digits: a run of O's that is no part of a word.
_DIGIT = rf"(?:\d|(?<!{_LETTER})[Oo]+(?!{_LETTER}))"
_ENCODED_SEPARATOR = r"%(?:20|2[DdEeFf])"
_SEPARATOR = rf"(?:[-./\s+]|{_ENCODED_SEPARATOR})"
_RUN = re.compile(rf"{_DIGIT}+(?:{_SEPARATOR}{{1,3}}{_DIGIT}+)*")
_DIGIT_CHARACTER = re.compile(r"\d|[Oo]")


def _digit_characters(run):
    # The digits of %20 and its kind are no part of the number.
    return _DIGIT_CHARACTER.findall(re.sub(_ENCODED_SEPARATOR, "", run))


def run_digits(run):
    """The digits of a run, ASCII, an O read as 0: '01.01.9O-1234' → '0101901234'."""
    return "".join("0" if character in "Oo" else str(int(character)) for character in _digit_characters(run))


def cpr_like_runs(text, min_digits=CPR_LIKE_DIGITS):
    """The runs of `text` (match objects) that hold at least `min_digits` digits, one of them
    a true digit."""
    for match in _RUN.finditer(text or ""):
        digits = _digit_characters(match.group())
        if len(digits) >= min_digits and any(character not in "Oo" for character in digits):
            yield match


def is_cpr_like(text):
    """Whether `text` holds anything that is or may be (part of) a CPR number."""
    return next(cpr_like_runs(text), None) is not None


def mask_cpr_like(text, mask=MASK, min_digits=CPR_LIKE_DIGITS):
    """`text` with every CPR-like run replaced: by `mask`, or by what `mask(run)` returns for
    the run (a string) when it is a function."""
    text = "" if text is None else str(text)
    parts, end = [], 0
    for match in cpr_like_runs(text, min_digits):
        parts += [text[end:match.start()], mask(match.group()) if callable(mask) else mask]
        end = match.end()
    return "".join(parts) + text[end:]
