"""CPR numbers: validation by the CPR office's rules, masking, encryption and keyed hash.

The number itself is only ever held encrypted in the database; an HMAC of it lets us
find a citizen by exact match without decrypting every row.
"""

import hashlib
import hmac
import re

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables
from stdnum.dk import cpr as stdnum_cpr
from stdnum.exceptions import InvalidComponent

# ASCII digits only: Python's \d also matches other scripts' digits, which would slip past
# the century rule and the uniqueness hash.
CPR_PATTERN = re.compile(r"^\s*([0-9]{6})-?([0-9]{4})\s*$")


@sensitive_variables("value", "match", "number")
def cpr_normalize(value):
    """Return the 10 digits of a valid CPR number or raise ValidationError (in Danish)."""
    match = CPR_PATTERN.match(value or "")
    if not match:
        raise ValidationError(
            _("CPR-nummeret skal have 10 cifre, fx 010190-1234."), code="cpr_format"
        )
    number = match.group(1) + match.group(2)
    try:
        birth_date = stdnum_cpr.get_birth_date(number)
    except InvalidComponent:
        raise ValidationError(
            _("CPR-nummeret indeholder ikke en gyldig fødselsdato."), code="cpr_date"
        ) from None
    if birth_date > timezone.localdate():
        raise ValidationError(
            _("CPR-nummerets fødselsdato ligger i fremtiden."), code="cpr_future"
        )
    return number


@sensitive_variables("number")
def cpr_birth_date(number):
    return stdnum_cpr.get_birth_date(number)


@sensitive_variables("number")
def cpr_passes_modulus11(number):
    """Numbers issued since 2007 need not pass, so a failure is only a warning."""
    return stdnum_cpr.checksum(number) == 0


def cpr_mask(birth_date):
    return f"{birth_date:%d%m%y}-XXXX" if birth_date else ""


@sensitive_variables("number")
def cpr_format(number):
    return f"{number[:6]}-{number[6:]}"


class RevealedCpr(str):
    """A revealed CPR number: shown in full where it is rendered, masked wherever it is repr'd.

    Django's template engine logs the whole context at DEBUG level when a variable is missing,
    so a number placed in a context would otherwise reach the log.
    """

    def __repr__(self):
        return "'XXXXXX-XXXX'"


@sensitive_variables("number")
def cpr_hash(number):
    key = settings.CPR_HASH_KEY.encode()
    return hmac.new(key, number.encode(), hashlib.sha256).hexdigest()


def _fernet():
    return MultiFernet([Fernet(k.encode()) for k in settings.FIELD_ENCRYPTION_KEYS])


@sensitive_variables("number")
def cpr_encrypt(number):
    return _fernet().encrypt(number.encode()).decode()


@sensitive_variables()
def cpr_decrypt(token):
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ValueError("CPR number cannot be decrypted with the configured keys") from None
