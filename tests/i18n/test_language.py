"""The interface is Danish by default and English only after the language switch, and the
English catalogue is complete.

The browser's Accept-Language is ignored on purpose (taskforce.middleware): a jobcenter works
in Danish whatever the browser says. English comes from the switch, which POSTs to Django's
set_language view and sets the language cookie.
"""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

PO_PATH = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")

CPR_FORMAT_DA = "CPR-nummeret skal have 10 cifre, fx 010190-1234."
CPR_FORMAT_EN = "The CPR number must have 10 digits, e.g. 010190-1234."


@pytest.fixture(autouse=True)
def back_to_danish():
    """Requests activate a language on this thread; leave Danish behind for other tests."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def switch_language(client, code, next_url="/"):
    response = client.post(reverse("set_language"), {"language": code, "next": next_url})
    assert response.status_code == 302
    assert response.url == next_url
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == code
    return response


def page(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200
    return response.content.decode()


def html_lang(html):
    match = re.search(r'<html[^>]*\slang="([^"]+)"', html)
    assert match, "no <html lang> on the page"
    return match.group(1)


# --- Danish by default --------------------------------------------------------------------


def test_citizens_list_is_danish_even_if_the_browser_asks_for_english(login, consultant):
    client = login(consultant)
    html = page(client, reverse("citizens:list"), HTTP_ACCEPT_LANGUAGE="en")
    assert html_lang(html) == "da"
    assert "Borgere" in html
    assert "Citizens" not in html


def test_login_page_is_danish_by_default(client, db):
    html = page(client, reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert html_lang(html) == "da"
    assert "Log ind" in html
    assert "Brugernavn" in html
    assert "Username" not in html


# --- The switch -----------------------------------------------------------------------


def test_switching_to_english_translates_the_page(login, consultant):
    client = login(consultant)
    url = reverse("citizens:list")
    switch_language(client, "en", url)
    html = page(client, url, HTTP_ACCEPT_LANGUAGE="da")
    assert html_lang(html) == "en"
    assert "Citizens" in html
    assert "Borgere" not in html


def test_english_stays_on_other_pages(login, consultant, citizen):
    client = login(consultant)
    switch_language(client, "en")
    html = page(client, reverse("citizens:detail", args=[citizen.pk]))
    assert html_lang(html) == "en"
    assert "Responsible consultant" in html
    assert "Ansvarlig konsulent" not in html


def test_switching_back_to_danish(login, consultant):
    client = login(consultant)
    url = reverse("citizens:list")
    switch_language(client, "en", url)
    assert "Citizens" in page(client, url)
    switch_language(client, "da", url)
    html = page(client, url)
    assert html_lang(html) == "da"
    assert "Borgere" in html
    assert "Citizens" not in html


def test_the_login_page_follows_the_switch(client, db):
    url = reverse("accounts:login")
    switch_language(client, "en", url)
    html = page(client, url)
    assert html_lang(html) == "en"
    assert "Log in" in html
    assert "Username" in html
    assert "Brugernavn" not in html


def test_the_switch_offers_the_other_language(client, db):
    html = page(client, reverse("accounts:login"))
    assert f'action="{reverse("set_language")}"' in html
    assert 'name="language" value="en"' in html


# --- Form errors ------------------------------------------------------------------------


def bad_cpr_form(municipality):
    return {
        "municipality": municipality.pk,
        "cpr": "12345",
        "first_name": "Mette",
        "last_name": "",  # required: Django's own message is translated too
        "status": "registered",
    }


def test_a_validation_error_is_danish_by_default(login, consultant, fredericia):
    response = login(consultant).post(reverse("citizens:create"), bad_cpr_form(fredericia), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert CPR_FORMAT_DA in html
    assert CPR_FORMAT_EN not in html


def test_a_validation_error_is_english_after_the_switch(login, consultant, fredericia):
    client = login(consultant)
    url = reverse("citizens:create")
    switch_language(client, "en", url)
    response = client.post(url, bad_cpr_form(fredericia))
    assert response.status_code == 200
    html = response.content.decode()
    assert CPR_FORMAT_EN in html
    assert CPR_FORMAT_DA not in html
    assert "This field is required." in html  # Django's own messages follow the switch
    assert "There are errors in the form" in html


# --- The catalogue ----------------------------------------------------------------------


def _unquote(text):
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(0)), text)


def read_po(path):
    """The entries of a .po file as dicts: 'flags' plus msgid, msgid_plural, msgstr, msgstr[n].

    A small reader, enough for what makemessages writes; obsolete (#~) entries are skipped.
    """
    entries = []
    for block in re.split(r"\n[ \t]*\n", path.read_text(encoding="utf-8")):
        entry, key = {"flags": set()}, None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif match := re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+"(.*)"\s*$', line):
                key = match.group(1)
                entry[key] = _unquote(match.group(2))
            elif match := re.match(r'^"(.*)"\s*$', line):
                entry[key] += _unquote(match.group(1))
        if "msgid" in entry:
            entries.append(entry)
    return entries


def translations(entry):
    return [value for key, value in entry.items() if key.startswith("msgstr")]


@pytest.fixture(scope="module")
def po_entries():
    entries = [e for e in read_po(PO_PATH) if e["msgid"]]  # without the header
    assert len(entries) > 100, "the English catalogue looks empty"
    return entries


def describe(entries):
    return "\n".join(f"  {e['msgid']!r}" for e in entries)


def test_every_string_is_translated(po_entries):
    untranslated = [e for e in po_entries if not all(translations(e))]
    assert not untranslated, (
        f"{len(untranslated)} untranslated string(s) in {PO_PATH.name}; run locale/update.sh and "
        f"translate:\n{describe(untranslated)}"
    )


def test_no_translation_is_fuzzy(po_entries):
    fuzzy = [e for e in po_entries if "fuzzy" in e["flags"]]
    assert not fuzzy, (
        f"{len(fuzzy)} fuzzy string(s) in {PO_PATH.name} (Django ignores them): check each "
        f"translation and remove its '#, fuzzy' line:\n{describe(fuzzy)}"
    )


PLACEHOLDER = re.compile(r"%\([^)]+\)[sd]|%%")


def test_translations_keep_the_placeholders(po_entries):
    wrong = []
    for e in po_entries:
        wanted = sorted(PLACEHOLDER.findall(e["msgid"]))
        if "msgid_plural" in e:
            wanted = sorted(set(wanted) | set(PLACEHOLDER.findall(e["msgid_plural"])))
            got = [sorted(set(PLACEHOLDER.findall(s))) for s in translations(e)]
            if any(g != wanted for g in got):
                wrong.append(e)
        elif sorted(PLACEHOLDER.findall(e["msgstr"])) != wanted:
            wrong.append(e)
    assert not wrong, f"placeholders differ between Danish and English:\n{describe(wrong)}"


def test_plural_entries_have_both_forms(po_entries):
    plurals = [e for e in po_entries if "msgid_plural" in e]
    assert plurals
    wrong = [e for e in plurals if sorted(k for k in e if k.startswith("msgstr")) != ["msgstr[0]", "msgstr[1]"]]
    assert not wrong, f"English has two plural forms, msgstr[0] and msgstr[1]:\n{describe(wrong)}"


def test_the_compiled_catalogue_matches_the_po_file(po_entries):
    """django.mo is committed: it must be compiled from the current django.po."""
    assert MO_PATH.exists(), "locale/en/LC_MESSAGES/django.mo is missing: run locale/update.sh"
    with MO_PATH.open("rb") as f:
        catalogue = gettext.GNUTranslations(f)
    stale = []
    for e in po_entries:
        if "fuzzy" in e["flags"]:
            continue
        if "msgctxt" in e:
            ok = catalogue.pgettext(e["msgctxt"], e["msgid"]) == e["msgstr"] if "msgstr" in e else True
        elif "msgid_plural" in e:
            ok = (
                catalogue.ngettext(e["msgid"], e["msgid_plural"], 1) == e["msgstr[0]"]
                and catalogue.ngettext(e["msgid"], e["msgid_plural"], 2) == e["msgstr[1]"]
            )
        else:
            ok = catalogue.gettext(e["msgid"]) == e["msgstr"]
        if not ok:
            stale.append(e)
    assert not stale, f"django.mo is out of date with django.po; run locale/update.sh:\n{describe(stale)}"


def test_django_uses_the_english_catalogue():
    with translation.override("en"):
        assert translation.gettext("Borgere") == "Citizens"
        assert translation.ngettext("%(n)s borger", "%(n)s borgere", 2) % {"n": 2} == "2 citizens"
    with translation.override("da"):
        assert translation.gettext("Borgere") == "Borgere"
