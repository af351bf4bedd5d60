"""The access log: who saw or changed a citizen's personal data, when and why, and which
citizens each page or export showed; beside it the sign-in events. Both are evidence and
append-only: the models refuse to change or delete a row, and so do database triggers
(migration 0004), on SQLite and PostgreSQL alike.

Retention (a later issue) must go through a deliberate, logged path: `audit.db.log_purge_allowed()`
is the only way past the triggers, and whatever uses it writes what it purged to the log.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Role

# A citizen is named, not imported: the audit app sits below the citizens app.
CITIZEN_MODEL = "citizens.Citizen"

# The free text of a chosen purpose ("andet: …"); the column holds the purpose and this.
PURPOSE_DETAIL_MAX_LENGTH = 150

class Purpose(models.TextChoices):
    """Why a user looks at a citizen: chosen where the page is a look-up (the CPR reveal),
    implied by the page elsewhere. Stored as readable Danish words, as the purposes that pages
    imply ("ansættelse", "forløb") are."""

    CASEWORK = "sagsbehandling", _("Sagsbehandling")
    FOLLOW_UP = "opfølgning", _("Opfølgning")
    CITIZEN_CONTACT = "borgerhenvendelse", _("Borgerhenvendelse")
    ACCESS_REQUEST = "indsigtsanmodning", _("Indsigtsanmodning (GDPR art. 15)")
    SUPERVISION = "kontrol og tilsyn", _("Kontrol og tilsyn")
    ADMINISTRATION = "administration", _("Administration")
    OTHER = "andet", _("Andet")

    @classmethod
    def stored(cls, purpose, detail=""):
        """The purpose as stored: the chosen purpose, and its free text after a colon."""
        detail = " ".join((detail or "").split())
        return f"{purpose}: {detail}" if detail else str(purpose)

    @classmethod
    def readable(cls, stored):
        """The stored purpose for reading: a chosen purpose by its label (in the reader's
        language), with its free text; a purpose a page implied as it was written."""
        value, _sep, detail = (stored or "").partition(": ")
        if value in cls.values:
            label = str(cls(value).label)
            return f"{label}: {detail}" if detail else label
        return stored


class AppendOnlyError(Exception):
    """A row of the log was to be changed or deleted."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(_("Adgangsloggen kan ikke ændres."))

    def delete(self):
        raise AppendOnlyError(_("Adgangsloggen kan ikke slettes."))


class AppendOnlyModel(models.Model):
    """Rows are added, never changed or deleted (the database triggers say the same)."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(_("Adgangsloggen kan ikke ændres."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(_("Adgangsloggen kan ikke slettes."))


class AccessLog(AppendOnlyModel):
    class Action(models.TextChoices):
        VIEW = "view", _("Visning")
        LIST = "list", _("Liste/søgning")
        CREATE = "create", _("Oprettelse")
        UPDATE = "update", _("Ændring")
        REVEAL_CPR = "reveal_cpr", _("Visning af CPR-nummer")
        ADD_NOTE = "add_note", _("Journalnotat tilføjet")
        EXPORT = "export", _("Eksport")
        REPORT = "report", _("Indsigtsrapport")
        # Retention: the citizen's personal data removed once the retention period ran out.
        ANONYMISE = "anonymise", _("Anonymisering")

    at = models.DateTimeField(_("tidspunkt"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("bruger")
    )
    # The role the user acted in, as it was then: roles change, the log does not.
    role = models.CharField(_("rolle"), max_length=20, choices=Role.choices, blank=True)
    action = models.CharField(_("handling"), max_length=20, choices=Action.choices)
    # What was touched, as model label and primary key: never the data itself.
    model = models.CharField(_("model"), max_length=50)
    object_id = models.PositiveBigIntegerField(_("objekt-id"), null=True, blank=True)
    municipality = models.ForeignKey(
        "accounts.Municipality", on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("kommune")
    )
    purpose = models.CharField(_("formål"), max_length=200)
    # What a list page was searched for, in short; a CPR number only as "CPR-søgning".
    query = models.CharField(_("søgning"), max_length=200, blank=True)
    # The citizen the row is about (a citizen's page, or a page of one of their records), of
    # `municipality`; the citizens a page listed are in AccessLogCitizen. A plain id, not a
    # relation, so the log outlives a deleted citizen.
    citizen_id = models.PositiveBigIntegerField(_("borger-id"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("adgangslog")
        verbose_name_plural = _("adgangslog")
        indexes = [
            models.Index(fields=["model", "object_id"]),
            models.Index(fields=["municipality", "-at"], name="audit_accesslog_mun_at"),
            models.Index(fields=["user", "-at"], name="audit_accesslog_user_at"),
            models.Index(fields=["citizen_id", "-at"], name="audit_accesslog_citizen_at"),
        ]
        constraints = [models.CheckConstraint(condition=~Q(purpose=""), name="audit_accesslog_has_purpose")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.model}#{self.object_id}"

    @property
    def purpose_label(self):
        return Purpose.readable(self.purpose)

    def citizen_ids(self):
        """The ids of the citizens the row names: the one it is about, and those a page listed."""
        about = [self.citizen_id] if self.citizen_id is not None else []
        return about + [named.citizen_id for named in self.citizens.all() if named.citizen_id != self.citizen_id]


class AccessLogCitizen(AppendOnlyModel):
    """A citizen a list page or export showed: one row each, however few. A plain
    id, not a relation, so the log outlives a deleted citizen; the citizen's municipality as
    it was, so the log alone says whose data it was."""

    entry = models.ForeignKey(AccessLog, on_delete=models.CASCADE, related_name="citizens")
    citizen_id = models.PositiveBigIntegerField(_("borger-id"))
    municipality = models.ForeignKey(
        "accounts.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("kommune")
    )

    class Meta:
        verbose_name = _("borger i adgangslog")
        verbose_name_plural = _("borgere i adgangslog")
        constraints = [models.UniqueConstraint(fields=["entry", "citizen_id"], name="audit_citizen_once_per_entry")]
        indexes = [models.Index(fields=["citizen_id", "entry"], name="audit_citizen_entry")]

    def __str__(self):
        return f"{self.entry_id}: {self.citizen_id}"


# What a sign-in event keeps of a name typed that no user has (in Danish, as the log is kept).
UNKNOWN_USERNAME = "(ukendt brugernavn)"


class SignInEvent(AppendOnlyModel):
    """Signing in and out, failed attempts and lockouts. Kept apart from the access log: they
    name no citizen and have no purpose, and a citizen's access report never lists them."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("Logget ind")
        LOGIN_FAILED = "login_failed", _("Mislykket login")
        LOCKOUT = "lockout", _("Spærret efter for mange forsøg")
        LOGOUT = "logout", _("Logget ud")

    at = models.DateTimeField(_("tidspunkt"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("hændelse"), max_length=20, choices=Kind.choices)
    # Empty for a name no user has. `username` is a user's name, or UNKNOWN_USERNAME for a name
    # typed that no user has: people type their password in the name box (audit.services).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("bruger"),
    )
    username = models.CharField(_("brugernavn"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("IP-adresse"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("login-hændelse")
        verbose_name_plural = _("login-hændelser")
        indexes = [models.Index(fields=["user", "-at"], name="audit_signin_user_at")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.kind}"
