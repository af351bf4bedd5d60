import pytest
from django.urls import reverse

from tests.conftest import make_cpr


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # The shared fixtures create users with passwords; PBKDF2 would make every test slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def cpr_with_modulus11(birth="010190", passes=True):
    """A CPR number of that birth date that passes (or fails) the old modulus-11 check."""
    from citizens.cpr import cpr_passes_modulus11

    while True:
        number = make_cpr(birth)
        if cpr_passes_modulus11(number) == passes:
            return number


def citizen_form_data(municipality, **overrides):
    data = {
        "municipality": municipality.pk,
        "cpr": make_cpr(),
        "first_name": "Mette",
        "last_name": "Frederiksen",
        "phone": "",
        "email": "",
        "address": "",
        "unemployed_since": "",
        "flexjob_approved_on": "",
        "weekly_hours": "",
        "competences": "",
        "wishes": "",
        "consultant": "",
        "status": "registered",
    }
    data.update(overrides)
    return data


@pytest.fixture
def create_url():
    return reverse("citizens:create")


def form_values(html, form_id=None):
    """What a browser would submit from the page's form: inputs, checked boxes, selects, textareas."""
    from html.parser import HTMLParser

    class Parser(HTMLParser):
        def __init__(self):
            super().__init__()
            self.values, self.select, self.textarea, self.inside = {}, None, None, form_id is None

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "form" and form_id is not None:
                self.inside = attrs.get("id") == form_id
            if not self.inside:
                return
            name = attrs.get("name")
            if tag == "input" and name and attrs.get("type") not in ("submit", "button"):
                if attrs.get("type") in ("checkbox", "radio"):
                    if "checked" in attrs:
                        self.add(name, attrs.get("value", "on"), attrs.get("type") == "checkbox")
                else:
                    self.add(name, attrs.get("value") or "", attrs.get("type") == "hidden")
            elif tag == "select" and name:
                self.select = name
                self.values.setdefault(name, "")
            elif tag == "option" and self.select and "selected" in attrs:
                self.values[self.select] = attrs.get("value", "")
            elif tag == "textarea" and name:
                self.textarea = name
                self.values[name] = ""

        def add(self, name, value, repeatable):
            # A name repeated (ticked boxes of a multiple choice, its hidden initial values) is a list.
            if repeatable and name in self.values:
                previous = self.values[name]
                self.values[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
            else:
                self.values[name] = value

        def handle_endtag(self, tag):
            if tag == "select":
                self.select = None
            elif tag == "textarea":
                self.textarea = None
            elif tag == "form" and form_id is not None:
                self.inside = False

        def handle_data(self, data):
            if self.textarea:
                self.values[self.textarea] += data.removeprefix("\n") if not self.values[self.textarea] else data

    parser = Parser()
    parser.feed(html)
    return parser.values
