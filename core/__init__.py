"""What every app shares and no app owns: form helpers (forms.py), edits that keep a
colleague's work (edits.py), the small-number rule (small_numbers.py), safe spreadsheet cells
(spreadsheets.py), shared limits (limits.py), the bounds of a record's id (ids.py), the one
rule for text that may hold a CPR number (cpr_text.py) and the rules for plausible input: date
windows, no control characters, bounded free text (validators.py). Imports no app of ours."""
