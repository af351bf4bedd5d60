"""The outbox in the admin: read, never written here. Failed mails come first and stand out,
the list filters by state and kind, and "Prøv igen" queues a failed mail again. Recipients
and text can hold links into the site: they are shown only to a superuser or to a user
granted "outbox.view_mail_content"."""

from django.contrib import admin, messages
from django.contrib.auth import get_permission_codename
from django.db.models import Case, Value, When
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext

from core.admin import ReadOnlyAdmin

from .models import OutboxMail
from .services import outbox_mails_retry

FIELDS = ["kind", "subject", "state", "attempts", "next_attempt_at", "last_error", "created_at", "sent_at",
          "dedupe_key"]
CONTENT_FIELDS = ["recipients", "body", "attachment_names"]


def may_read_content(request):
    return request.user.has_perm("outbox.view_mail_content")


@admin.register(OutboxMail)
class OutboxMailAdmin(ReadOnlyAdmin):
    # Never added, changed or deleted here: a mail is never lost, not even by the admin, and a
    # failed one is tried again instead ("Prøv igen").
    list_display = ["created_at", "kind", "subject", "state_shown", "attempts", "next_attempt_at", "sent_at",
                    "last_error"]
    list_filter = ["state", "kind"]
    search_fields = ["subject"]
    date_hierarchy = "created_at"
    # Failed mails first, then the newest.
    ordering = [Case(When(state=OutboxMail.State.FAILED, then=Value(0)), default=Value(1)), "-created_at", "-pk"]
    actions = ["retry"]

    def get_fields(self, request, obj=None):
        return FIELDS + (CONTENT_FIELDS if may_read_content(request) else [])

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def has_retry_permission(self, request):
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.{get_permission_codename('change', opts)}")

    @admin.display(description=gettext_lazy("tilstand"), ordering="state")
    def state_shown(self, mail):
        if mail.state == OutboxMail.State.FAILED:
            return format_html("<strong>⚠ {}</strong>", mail.get_state_display())
        return mail.get_state_display()

    @admin.display(description=gettext_lazy("modtagere"))
    def recipients(self, mail):
        return ", ".join(mail.to)

    @admin.display(description=gettext_lazy("vedhæftede filer"))
    def attachment_names(self, mail):
        return ", ".join(attachment["filename"] for attachment in mail.attachments) or "–"

    @admin.action(description=gettext_lazy("Prøv igen"), permissions=["retry"])
    def retry(self, request, queryset):
        chosen = queryset.count()
        queued = outbox_mails_retry(queryset)
        if queued:
            self.message_user(request, ngettext(
                "%(count)d mail er lagt i kø til afsendelse igen.",
                "%(count)d mails er lagt i kø til afsendelse igen.", queued,
            ) % {"count": queued})
        if queued < chosen:
            self.message_user(
                request, _("Kun fejlede mails sendes igen; sendte mails og mails i kø er ikke ændret."), messages.WARNING
            )
