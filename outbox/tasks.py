"""Sending the outbox (filled in by the outbox work)."""


def outbox_kick(mail_id):
    """Ask a worker to send the mail now; never blocks or fails the caller."""
