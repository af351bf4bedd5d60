"""The bell in every page's header: the user's unread reminders whose work is not yet done."""

from functools import cached_property

from .models import Notification


class Bell:
    """Counted once, when the header first shows it (one query per page; none for a page or
    fragment that shows no bell)."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def unread(self):
        if not self.user.is_authenticated:
            return 0
        return Notification.objects.filter(user=self.user, read_at__isnull=True, resolved_at__isnull=True).count()


def bell(request):
    user = getattr(request, "user", None)
    return {"notification_bell": Bell(user)} if user is not None else {}
