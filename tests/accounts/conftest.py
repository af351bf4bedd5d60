import pytest


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # The shared fixtures create users with passwords; PBKDF2 would make every test slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
