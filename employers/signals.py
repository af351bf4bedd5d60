"""What the employers app tells the apps above it: an employer's sector, social-economic
flag, size or industry changed, so figures counted by them must be counted again
(progress.figures). Sent inside the transaction that saves the employer."""

from django.dispatch import Signal

# Sent with employer (the saved Employer).
employer_counting_changed = Signal()

# The fields the counting rules look at.
COUNTED_FIELDS = ("sector", "social_economic", "size", "industry")
