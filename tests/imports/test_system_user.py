"""The import task and its identity: the stored upload is deleted in every case, and the
system user that imports run as is a reserved, inactive identity."""


import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from imports.services import import_system_user
from imports.tasks import import_file
from tests.factories import make_cpr_with_modulus11

from .conftest import CITIZEN_HEADER, csv_bytes


# --- The task deletes the upload in every case ----------------------------------------------

def test_it_deletes_the_stored_file_when_the_user_is_gone(settings, tmp_path, fredericia):
    settings.MEDIA_ROOT = str(tmp_path)
    name = default_storage.save("imports/b.csv", ContentFile(csv_bytes([CITIZEN_HEADER, [make_cpr_with_modulus11(), "A", "B", "607"]])))
    with pytest.raises(get_user_model().DoesNotExist):
        import_file("citizens", name, 999999)
    assert not default_storage.exists(name)


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
