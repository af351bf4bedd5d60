"""CPR numbers: validation, encryption at rest, keyed hash, masking and the logged reveal."""

from datetime import date

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.urls import reverse

from audit.models import AccessLog
from citizens import cpr as cprlib
from citizens.models import Citizen
from tests.factories import make_citizen, make_cpr

from .conftest import citizen_form_data
from tests.factories import make_cpr_with_modulus11


# --- validation -------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["0101901234", "010190-1234", " 010190-1234 "])
def test_it_accepts_ten_digits_with_or_without_a_dash(value):
    assert cprlib.cpr_normalize(value) == "0101901234"


@pytest.mark.parametrize(
    "number, born",
    [
        ("0101901234", date(1990, 1, 1)),  # 7th digit 0-3: 1900s
        ("0101374000", date(1937, 1, 1)),  # 4 or 9 and year 37-99: 1900s
        ("0101364000", date(2036, 1, 1)),  # 4 or 9 and year 00-36: 2000s
        ("0101605000", date(1860, 1, 1)),  # 5-8 and year 58-99: 1800s
        ("0101105000", date(2010, 1, 1)),  # 5-8 and year 00-57: 2000s
        ("2902004000", date(2000, 2, 29)),
    ],
)
def test_it_takes_the_century_from_the_seventh_digit(number, born):
    assert cprlib.cpr_birth_date(number) == born


@pytest.mark.parametrize(
    "value, message",
    [
        ("320190-1234", "CPR-nummeret indeholder ikke en gyldig fødselsdato."),
        ("011390-1234", "CPR-nummeret indeholder ikke en gyldig fødselsdato."),
        ("000190-1234", "CPR-nummeret indeholder ikke en gyldig fødselsdato."),
        ("290201-4000", "CPR-nummeret indeholder ikke en gyldig fødselsdato."),  # 2001 is no leap year
        ("010130-4000", "CPR-nummerets fødselsdato ligger i fremtiden."),  # born 2030
        ("010150-5000", "CPR-nummerets fødselsdato ligger i fremtiden."),  # born 2050
        ("010190-123", "CPR-nummeret skal have 10 cifre, fx 010190-1234."),
        ("01019012345", "CPR-nummeret skal have 10 cifre, fx 010190-1234."),
        ("010190-12a4", "CPR-nummeret skal have 10 cifre, fx 010190-1234."),
        ("abcdefghij", "CPR-nummeret skal have 10 cifre, fx 010190-1234."),
        ("0101-901234", "CPR-nummeret skal have 10 cifre, fx 010190-1234."),
        ("", "CPR-nummeret skal have 10 cifre, fx 010190-1234."),
        # Digits of other scripts look like digits to Python but are no CPR number.
        ("٠١٠١٩٠١٢٣٤", "CPR-nummeret skal have 10 cifre, fx 010190-1234."),
        ("０１０１９０１２３４", "CPR-nummeret skal have 10 cifre, fx 010190-1234."),
    ],
)
def test_it_rejects_a_wrong_cpr_number_in_danish(value, message):
    with pytest.raises(ValidationError) as error:
        cprlib.cpr_normalize(value)
    assert error.value.messages == [message]


def test_it_rejects_a_birth_date_of_tomorrow(monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda: date(2020, 5, 31))
    assert cprlib.cpr_normalize("310520-4000") == "3105204000"
    with pytest.raises(ValidationError):
        cprlib.cpr_normalize("010620-4000")


def test_it_checks_the_old_modulus_11_rule():
    assert cprlib.cpr_passes_modulus11("0707614285")
    assert not cprlib.cpr_passes_modulus11("0707614286")


def test_it_masks_a_cpr_number_by_the_birth_date():
    assert cprlib.cpr_mask(date(1990, 1, 1)) == "010190-XXXX"
    assert cprlib.cpr_mask(date(2005, 12, 24)) == "241205-XXXX"


# --- the form ---------------------------------------------------------------------------


def test_it_shows_the_danish_error_for_an_invalid_date_on_the_form(login, consultant, fredericia, create_url):
    response = login(consultant).post(create_url, citizen_form_data(fredericia, cpr="320190-1234"))
    assert response.status_code == 200
    assert "CPR-nummeret indeholder ikke en gyldig fødselsdato." in response.content.decode()
    assert not Citizen.objects.exists()


def test_it_only_warns_when_the_modulus_11_check_fails(login, consultant, fredericia, create_url):
    number = make_cpr_with_modulus11(passes=False)
    response = login(consultant).post(create_url, citizen_form_data(fredericia, cpr=number), follow=True)
    citizen = Citizen.objects.get()
    assert response.redirect_chain == [(reverse("citizens:detail", args=[citizen.pk]), 302)]
    levels = {m.level_tag: str(m) for m in response.context["messages"]}
    assert "modulus 11" in levels["warning"]
    assert "modulus 11" in response.content.decode()


def test_it_gives_no_warning_when_the_modulus_11_check_passes(login, consultant, fredericia, create_url):
    number = make_cpr_with_modulus11(passes=True)
    response = login(consultant).post(create_url, citizen_form_data(fredericia, cpr=number), follow=True)
    assert Citizen.objects.count() == 1
    assert [m.level_tag for m in response.context["messages"]] == ["success"]


def test_it_rejects_a_cpr_number_already_registered_in_the_municipality(
    login, consultant, fredericia, citizen, create_url
):
    number = citizen.reveal_cpr()
    response = login(consultant).post(create_url, citizen_form_data(fredericia, cpr=number))
    assert response.status_code == 200
    assert "Der findes allerede en borger med dette CPR-nummer i kommunen." in response.content.decode()
    assert Citizen.objects.count() == 1
    assert not AccessLog.objects.filter(action=AccessLog.Action.CREATE).exists()


def test_it_allows_the_same_cpr_number_in_another_municipality(login, outsider, odense, citizen, create_url):
    number = citizen.reveal_cpr().replace("-", "")
    response = login(outsider).post(create_url, citizen_form_data(odense, cpr=number))
    assert response.status_code == 302
    assert Citizen.objects.with_cpr(number).count() == 2


def test_it_enforces_unique_cpr_in_the_database(fredericia, citizen):
    duplicate = Citizen(municipality=fredericia, first_name="Dublet", last_name="Dublet")
    duplicate.set_cpr(citizen.reveal_cpr().replace("-", ""))
    with pytest.raises(IntegrityError):
        duplicate.save()


# --- encryption and hash ----------------------------------------------------------------


def test_it_never_stores_the_cpr_number_in_clear(fredericia):
    number = make_cpr("241205")
    citizen = make_citizen(fredericia, cpr=number)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM citizens_citizen WHERE id = %s", [citizen.pk])
        row = cursor.fetchone()
        columns = [column[0] for column in cursor.description]
    stored = " ".join(str(value) for value in row)
    assert number not in stored
    assert cprlib.cpr_format(number) not in stored
    assert number[6:] not in Citizen.objects.values_list("cpr_encrypted", flat=True).get()
    assert cprlib.cpr_decrypt(row[columns.index("cpr_encrypted")]) == number


def test_it_encrypts_the_same_number_differently_each_time():
    assert cprlib.cpr_encrypt("0101901234") != cprlib.cpr_encrypt("0101901234")


def test_it_decrypts_with_an_older_key_after_rotation(settings):
    token = cprlib.cpr_encrypt("0101901234")
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *settings.FIELD_ENCRYPTION_KEYS]
    assert cprlib.cpr_decrypt(token) == "0101901234"


def test_it_refuses_to_decrypt_with_a_wrong_key(settings):
    token = cprlib.cpr_encrypt("0101901234")
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(ValueError) as error:
        cprlib.cpr_decrypt(token)
    assert "0101901234" not in str(error.value)


def test_it_hashes_with_a_key(settings):
    plain = __import__("hashlib").sha256(b"0101901234").hexdigest()
    keyed = cprlib.cpr_hash("0101901234")
    assert keyed != plain
    assert keyed == cprlib.cpr_hash("0101901234")
    settings.CPR_HASH_KEY = "another-key"
    assert cprlib.cpr_hash("0101901234") != keyed


def test_it_finds_a_citizen_by_exact_cpr_through_the_hash(fredericia, citizen):
    make_citizen(fredericia, first_name="Anden")
    number = citizen.reveal_cpr().replace("-", "")
    assert list(Citizen.objects.with_cpr(number)) == [citizen]
    assert not Citizen.objects.with_cpr(make_cpr()).exists()


# --- masked display and reveal ----------------------------------------------------------


def _full_forms(citizen):
    formatted = citizen.reveal_cpr()
    return formatted, formatted.replace("-", "")


def test_it_shows_the_cpr_number_masked_in_the_list(login, consultant, fredericia):
    citizen = make_citizen(fredericia, cpr=make_cpr("241205"), consultant=consultant)
    html = login(consultant).get(reverse("citizens:list")).content.decode()
    assert "241205-XXXX" in html
    for full in _full_forms(citizen):
        assert full not in html


def test_it_shows_the_cpr_number_masked_on_the_detail_page(login, consultant, fredericia):
    citizen = make_citizen(fredericia, cpr=make_cpr("241205"), consultant=consultant)
    html = login(consultant).get(reverse("citizens:detail", args=[citizen.pk])).content.decode()
    assert "241205-XXXX" in html
    for full in _full_forms(citizen):
        assert full not in html


def test_it_does_not_show_the_cpr_number_on_the_edit_page(login, consultant, citizen):
    html = login(consultant).get(reverse("citizens:edit", args=[citizen.pk])).content.decode()
    for full in _full_forms(citizen):
        assert full not in html


def test_it_reveals_the_cpr_number_by_post_only(login, consultant, citizen):
    response = login(consultant).get(reverse("citizens:reveal_cpr", args=[citizen.pk]))
    assert response.status_code == 405
    assert not AccessLog.objects.filter(action=AccessLog.Action.REVEAL_CPR).exists()


def test_it_reveals_the_cpr_number_and_logs_it(login, consultant, citizen):
    response = login(consultant).post(reverse("citizens:reveal_cpr", args=[citizen.pk]), {"purpose": "opfølgning"})
    assert response.status_code == 200
    html = response.content.decode()
    assert citizen.reveal_cpr() in html
    assert "<html" in html
    log = AccessLog.objects.get(action=AccessLog.Action.REVEAL_CPR)
    assert (log.user, log.model, log.object_id, log.municipality) == (
        consultant, "citizens.Citizen", citizen.pk, citizen.municipality
    )
    assert log.purpose == "opfølgning"


def test_it_reveals_the_cpr_number_as_an_htmx_fragment(login, consultant, citizen):
    response = login(consultant).post(
        reverse("citizens:reveal_cpr", args=[citizen.pk]), {"purpose": "sagsbehandling"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode().strip()
    assert html.startswith('<span id="cpr">')
    assert citizen.reveal_cpr() in html
    assert "<html" not in html
    assert "Journal" not in html
    assert AccessLog.objects.filter(action=AccessLog.Action.REVEAL_CPR, object_id=citizen.pk).count() == 1


def test_it_logs_every_reveal(login, consultant, citizen):
    client = login(consultant)
    for _ in range(3):
        client.post(reverse("citizens:reveal_cpr", args=[citizen.pk]), {"purpose": "opfølgning"}, HTTP_HX_REQUEST="true")
    assert AccessLog.objects.filter(action=AccessLog.Action.REVEAL_CPR).count() == 3


def test_it_offers_the_reveal_as_a_post_form_that_htmx_enhances(login, consultant, citizen):
    html = login(consultant).get(reverse("citizens:detail", args=[citizen.pk])).content.decode()
    url = reverse("citizens:reveal_cpr", args=[citizen.pk])
    assert f'<form method="post" action="{url}"' in html
    assert f'hx-post="{url}"' in html


def test_it_masks_a_revealed_cpr_number_in_its_repr(citizen):
    revealed = citizen.reveal_cpr()
    assert str(revealed) == revealed and len(revealed) == 11
    assert revealed[:6] not in repr(revealed)
    assert revealed not in repr({"revealed_cpr": revealed})
