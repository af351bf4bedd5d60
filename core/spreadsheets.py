"""Cells written to CSV and XLSX files that people open in a spreadsheet program.

A CSV file has no types: the program guesses them from the text by the reader's regional
settings. Danish Excel splits on semicolons and reads "4,5" as a number, but "4.5" as text
or a date, so a number is written with the decimal separator of the language the file is
made in (the user's: a comma in Danish, a point in English). An XLSX file has types, so it
gets real number and date cells, with a date format a Danish reader expects.
"""

import datetime
from decimal import Decimal

from django.utils import formats

# A cell starting with one of these is run as a formula by Excel and LibreOffice (CSV
# injection); a tab or carriage return can hide one.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# How a date cell of an XLSX file is shown (the value itself is a date whatever the format).
XLSX_DATE_FORMAT = "dd-mm-yyyy"


def safe_cell(value):
    """Keep spreadsheet programs from running a cell that starts like a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_cell(value):
    """A CSV cell in the active language: a decimal number with its decimal separator and
    never in exponent form ("4,5", "10", not "1E+1"), a date as YYYY-MM-DD (which every
    spreadsheet program reads as a date), nothing for None, and text made safe."""
    if value is None:
        return ""
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", formats.get_format("DECIMAL_SEPARATOR"))
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return safe_cell(value) if isinstance(value, str) else str(value)


def xlsx_cell(sheet, value, number_format=None):
    """A cell for `sheet.append` on a write-only XLSX sheet: a date as a date cell shown
    dd-mm-yyyy, a decimal as a number, text made safe; `number_format` ("0%", "0.0") gives
    a number its format."""
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        number_format = number_format or XLSX_DATE_FORMAT
    value = safe_cell(value)
    if not number_format:
        return value  # a plain value: openpyxl types it, and a large sheet streams faster
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = number_format
    return cell
