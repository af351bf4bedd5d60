"""Cells written to CSV and XLSX files that people open in a spreadsheet program."""

# A cell starting with one of these is run as a formula by Excel and LibreOffice (CSV
# injection); a tab or carriage return can hide one.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Keep spreadsheet programs from running a cell that starts like a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
