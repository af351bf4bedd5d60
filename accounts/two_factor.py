"""Two-factor authentication with TOTP (django-otp): who must use it, and their devices."""

import base64

import qrcode
import qrcode.image.svg
from django.conf import settings
from django_otp import devices_for_user
from django_otp.plugins.otp_totp.models import TOTPDevice

from .access import has_role
from .models import Role

# Those who read citizens' personal data or hand out access to it.
TWO_FACTOR_ROLES = (Role.CONSULTANT, Role.MANAGER, Role.ADMIN)


def two_factor_required(user):
    """Consultants, managers and admins (and anyone who reaches the Django admin) must sign
    in with a second factor whenever `TWO_FACTOR_REQUIRED` is on (it is unless DEBUG is)."""
    if not settings.TWO_FACTOR_REQUIRED or not user.is_authenticated:
        return False
    return user.is_staff or user.is_superuser or has_role(user, *TWO_FACTOR_ROLES)


def confirmed_device(user):
    """The user's confirmed authenticator, or None if they have not enrolled one yet."""
    return next(iter(devices_for_user(user, confirmed=True)), None)


def pending_device(user):
    """The authenticator being enrolled: kept between page loads so the QR code the user
    has scanned stays valid until they confirm it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def qr_code_data_uri(device):
    """The device's otpauth:// address as an SVG QR code in a data: URI (allowed by the CSP)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode()


def secret_for_typing(device):
    """The shared secret in base32, grouped by four, for typing into an app by hand."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
