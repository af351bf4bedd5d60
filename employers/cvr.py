"""CVR numbers: 8 digits with a modulus-11 check."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.dk import cvr as stdnum_cvr
from stdnum.exceptions import InvalidChecksum, ValidationError as StdnumError


def cvr_normalize(value):
    """Return the 8 digits of a valid CVR number or raise ValidationError (in Danish)."""
    number = stdnum_cvr.compact(value or "")
    if not number.isdigit() or len(number) != 8:
        raise ValidationError(_("CVR-nummeret skal have 8 cifre."), code="cvr_format")
    try:
        return stdnum_cvr.validate(number)
    except InvalidChecksum:
        raise ValidationError(
            _("CVR-nummeret er ikke gyldigt (modulus 11-kontrollen fejler)."), code="cvr_checksum"
        ) from None
    except StdnumError:
        raise ValidationError(_("CVR-nummeret er ikke gyldigt."), code="cvr_invalid") from None
