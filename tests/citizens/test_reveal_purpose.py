"""The CPR number is revealed only for a purpose the consultant chooses: without one the
reveal is refused in Danish, the number is not shown and no reveal is logged; a purpose too
long is an error, never cut short."""

import pytest
from django.urls import reverse

from audit.models import PURPOSE_DETAIL_MAX_LENGTH, AccessLog


def reveal(client, citizen, data, **headers):
    return client.post(reverse("citizens:reveal_cpr", args=[citizen.pk]), data, **headers)


def _full_forms(citizen):
    formatted = citizen.reveal_cpr()
    return formatted, formatted.replace("-", "")


def test_it_asks_for_a_purpose_on_the_citizens_page(login, consultant, citizen):
    html = login(consultant).get(reverse("citizens:detail", args=[citizen.pk])).content.decode()
    assert 'name="purpose"' in html and 'name="detail"' in html
    assert "Indsigtsanmodning (GDPR art. 15)" in html and "Borgerhenvendelse" in html


@pytest.mark.parametrize("headers", [{}, {"HTTP_HX_REQUEST": "true"}])
def test_it_refuses_a_reveal_without_a_purpose(login, consultant, citizen, headers):
    response = reveal(login(consultant), citizen, {}, **headers)
    html = response.content.decode()
    assert "Vælg formålet, før CPR-nummeret vises." in html
    for full in _full_forms(citizen):
        assert full not in html
    assert citizen.cpr_masked in html
    assert not AccessLog.objects.filter(action=AccessLog.Action.REVEAL_CPR).exists()


def test_the_refused_full_page_is_a_400_logged_as_a_page_view(login, consultant, citizen):
    response = reveal(login(consultant), citizen, {"purpose": ""})
    assert response.status_code == 400
    row = AccessLog.objects.get()
    assert (row.action, row.purpose) == (AccessLog.Action.VIEW, "sagsbehandling")


def test_the_refused_htmx_fragment_shows_the_form_again_and_logs_nothing(login, consultant, citizen):
    response = reveal(login(consultant), citizen, {"purpose": "nonsens"}, HTTP_HX_REQUEST="true")
    html = response.content.decode().strip()
    assert response.status_code == 200
    assert html.startswith('<span id="cpr">') and 'name="purpose"' in html
    assert not AccessLog.objects.exists()


def test_it_reveals_and_logs_the_chosen_purpose(login, consultant, citizen):
    response = reveal(login(consultant), citizen, {"purpose": "opfølgning"}, HTTP_HX_REQUEST="true")
    assert citizen.reveal_cpr() in response.content.decode()
    row = AccessLog.objects.get(action=AccessLog.Action.REVEAL_CPR)
    assert (row.user, row.object_id, row.purpose, row.purpose_label) == (consultant, citizen.pk, "opfølgning", "Opfølgning")
    assert row.citizen_ids() == [citizen.pk]


def test_it_keeps_the_consultants_own_words_with_the_purpose(login, consultant, citizen):
    reveal(login(consultant), citizen, {"purpose": "andet", "detail": "  Brev  fra Udbetaling Danmark "})
    row = AccessLog.objects.get(action=AccessLog.Action.REVEAL_CPR)
    assert row.purpose == "andet: Brev fra Udbetaling Danmark"
    assert row.purpose_label == "Andet: Brev fra Udbetaling Danmark"


def test_it_asks_for_words_when_the_purpose_is_other(login, consultant, citizen):
    html = reveal(login(consultant), citizen, {"purpose": "andet", "detail": ""}).content.decode()
    assert "Skriv formålet, når du vælger Andet." in html
    assert citizen.reveal_cpr() not in html
    assert not AccessLog.objects.filter(action=AccessLog.Action.REVEAL_CPR).exists()


def test_an_over_long_purpose_is_an_error_not_cut_short(login, consultant, citizen):
    detail = "x" * (PURPOSE_DETAIL_MAX_LENGTH + 1)
    response = reveal(login(consultant), citizen, {"purpose": "andet", "detail": detail})
    html = response.content.decode()
    assert response.status_code == 400
    assert f"Teksten er for lang: {PURPOSE_DETAIL_MAX_LENGTH + 1} tegn." in html
    assert citizen.reveal_cpr() not in html
    assert not AccessLog.objects.filter(action=AccessLog.Action.REVEAL_CPR).exists()


def test_a_purpose_of_the_longest_length_is_kept_whole(login, consultant, citizen):
    detail = "y" * PURPOSE_DETAIL_MAX_LENGTH
    reveal(login(consultant), citizen, {"purpose": "andet", "detail": detail})
    assert AccessLog.objects.get(action=AccessLog.Action.REVEAL_CPR).purpose == f"andet: {detail}"


def test_it_refuses_a_cpr_number_written_into_the_purpose(login, consultant, citizen):
    html = reveal(login(consultant), citizen, {"purpose": "andet", "detail": f"om {citizen.reveal_cpr()}"}).content.decode()
    assert "Skriv ikke et CPR-nummer i formålet, heller ikke en del af et" in html
    assert not AccessLog.objects.filter(action=AccessLog.Action.REVEAL_CPR).exists()


@pytest.mark.parametrize("detail", ["om 010190-123", "om 0101901", "om 01.01.90-1234", "om 01019O-1234", "møde 12.03.2026"])
def test_it_refuses_part_of_a_cpr_number_or_a_date_in_figures_in_the_purpose(login, consultant, citizen, detail):
    response = reveal(login(consultant), citizen, {"purpose": "andet", "detail": detail})
    assert response.status_code == 400
    assert "Skriv en dato med bogstaver" in response.content.decode()
    assert not AccessLog.objects.filter(action=AccessLog.Action.REVEAL_CPR).exists()
    assert detail.split()[-1] not in "".join(AccessLog.objects.values_list("purpose", flat=True))


def test_the_purpose_is_asked_by_one_form_only():
    """audit.forms.PurposeForm, the CPR reveal's: no looser second purpose form beside it."""
    import citizens.forms
    from django import forms

    from audit.forms import PurposeForm

    purpose_forms = [
        name for name, value in vars(citizens.forms).items()
        if isinstance(value, type) and issubclass(value, forms.BaseForm) and "purpose" in value.base_fields
    ]
    assert purpose_forms == []
    assert "purpose" in PurposeForm.base_fields
