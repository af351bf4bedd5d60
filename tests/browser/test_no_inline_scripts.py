"""No page carries script the coming strict Content Security Policy would block: every
<script> has a src, no element has an on…= event-handler attribute or a javascript: URL.

A plain test-client test (not marked `browser`), so it runs in `make test-fast` too.
"""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.factories import make_placement


class InlineScriptFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.script_sources = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            if not attributes.get("src"):
                self.problems.append(f"line {self.getpos()[0]}: <script> without src")
            else:
                self.script_sources.append(attributes["src"])
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"line {self.getpos()[0]}: <{tag} {name}=…>")
            if name in {"href", "src", "action", "formaction"} and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"line {self.getpos()[0]}: <{tag} {name}=\"javascript:…\">")

    handle_startendtag = handle_starttag


def inline_script_problems(response):
    assert response.status_code == 200, response
    finder = InlineScriptFinder()
    finder.feed(response.content.decode())
    return finder


@pytest.fixture
def placement(citizen, employer):
    return make_placement(citizen, employer)


def test_the_login_page_has_no_inline_script(client, db):
    finder = inline_script_problems(client.get(reverse("accounts:login")))
    assert finder.problems == []
    # htmx, DKFDS and our own app.js, all served from our static files (no CDN).
    assert all(src.startswith("/static/") for src in finder.script_sources), finder.script_sources
    assert any(src.endswith("/js/app.js") for src in finder.script_sources)


def test_consultant_pages_have_no_inline_script(client, consultant, citizen, employer, placement):
    client.force_login(consultant)
    pages = [
        reverse("citizens:list"),
        reverse("citizens:create"),
        reverse("citizens:detail", args=[citizen.pk]),
        reverse("citizens:edit", args=[citizen.pk]),
        reverse("employers:list"),
        reverse("employers:create"),
        reverse("employers:detail", args=[employer.pk]),
        reverse("placements:create_for_citizen", args=[citizen.pk]),
        reverse("placements:detail", args=[placement.pk]),
        reverse("progress:dashboard"),
    ]
    problems = {url: inline_script_problems(client.get(url)).problems for url in pages}
    assert problems == {url: [] for url in pages}


def test_htmx_fragments_have_no_inline_script(client, consultant, citizen):
    client.force_login(consultant)
    search = client.post(reverse("citizens:list"), {"q": "Sørensen"}, headers={"HX-Request": "true"})
    reveal = client.post(reverse("citizens:reveal_cpr", args=[citizen.pk]), headers={"HX-Request": "true"})
    assert inline_script_problems(search).problems == []
    assert inline_script_problems(reveal).problems == []


def test_manager_and_leader_start_pages_have_no_inline_script(client, manager, leader):
    client.force_login(manager)
    assert inline_script_problems(client.get(reverse("progress:dashboard"))).problems == []
    client.force_login(leader)
    assert inline_script_problems(client.get(reverse("employers:mine"))).problems == []
    assert inline_script_problems(client.get(reverse("workspace:list"), follow=True)).problems == []


def test_a_form_with_errors_has_no_inline_script(client, consultant):
    client.force_login(consultant)
    response = client.post(reverse("citizens:create"), {"first_name": "", "cpr": "320190-1234"})
    finder = inline_script_problems(response)
    assert finder.problems == []
    assert 'data-module="error-summary"' in response.content.decode()


def test_the_checker_finds_what_a_strict_policy_would_block():
    finder = InlineScriptFinder()
    finder.feed(
        '<script>alert(1)</script><a href=" JavaScript:go()">x</a>'
        '<button onclick="go()">y</button><img src="/a.png" onerror="go()"/>'
        '<script src="/static/js/app.js" defer></script>'
    )
    assert len(finder.problems) == 4, finder.problems
    assert finder.script_sources == ["/static/js/app.js"]
