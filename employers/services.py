"""Employer workflows that span several models."""

from django.db import transaction


def employer_save(*, employer, contacts):
    """Save the employer and its contact persons together, or neither."""
    with transaction.atomic():
        employer.save()
        contacts.instance = employer
        contacts.save()
    return employer
