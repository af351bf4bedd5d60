"""What every app shares and no app owns: form helpers (forms.py), edits that keep a
colleague's work (edits.py), the small-number rule (small_numbers.py), safe spreadsheet cells
(spreadsheets.py), shared limits (limits.py) and the rules for plausible input: date windows,
no control characters, bounded free text (validators.py). Imports no app of ours."""
