import pytest


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """seed_demo sets five passwords; PBKDF2 would make every run slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
