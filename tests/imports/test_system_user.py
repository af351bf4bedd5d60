"""The identity command-line imports run as: the system user is a reserved, inactive identity
(a job's upload is deleted in every case: tests/imports/test_background_import.py)."""


from django.contrib.auth import get_user_model

from imports.services import import_system_user


# --- The system user is a reserved identity ---------------------------------------------------

def test_it_creates_the_system_user_inactive_without_a_password_and_reuses_it(db):
    user = import_system_user()
    assert (user.username, user.is_active, user.has_usable_password()) == ("import", False, False)
    assert import_system_user() == user


def test_it_does_not_act_as_a_person_who_registered_the_username_import(db):
    person = get_user_model().objects.create_user(username="import", password="hemmelig-kode-123")
    user = import_system_user()
    assert user != person
    assert (user.username, user.is_active, user.has_usable_password()) == ("import-system", False, False)
    assert import_system_user() == user
