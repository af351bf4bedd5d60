"""What every response tells the browser: a strict Content Security Policy, no caching of
pages with personal data, and error pages in the site's layout and the user's language."""

import logging
from datetime import date

import pytest
from django.test import override_settings

from progress.models import Target
from tests.factories import make_placement


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize("url", ["/accounts/login/", "/healthz", "/findes-ikke/"])
def test_every_response_has_the_strict_policy_even_before_login(client, db, url):
    policy = directives(client.get(url))
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]
    assert policy["form-action"] == ["'self'"] and policy["base-uri"] == ["'none'"]


def test_no_page_allows_inline_code_or_eval(login, consultant, citizen):
    for url in ("/citizens/", f"/citizens/{citizen.pk}/", "/dashboard/", "/taskforce/"):
        response = login(consultant).get(url, follow=True)
        policy = response["Content-Security-Policy"]
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, url


def test_pages_and_downloads_with_personal_data_are_never_stored(login, consultant, citizen, employer, fredericia):
    placement = make_placement(citizen, employer)
    Target.objects.create(municipality=fredericia, title="164 nye fleksjob", number=164,
                          period_start=date(2026, 1, 1), period_end=date(2026, 12, 31))
    client = login(consultant)
    responses = {
        "list": client.get("/citizens/"),
        "citizen": client.get(f"/citizens/{citizen.pk}/"),
        "placement": client.get(f"/placements/{placement.pk}/"),
        "csv": client.get("/dashboard/export.csv"),
        "xlsx": client.get("/dashboard/export.xlsx"),
        "reveal": client.post(f"/citizens/{citizen.pk}/cpr/", {"purpose": "sagsbehandling"}),
    }
    for name, response in responses.items():
        assert response.status_code == 200, (name, response.status_code)
        assert "no-store" in response["Cache-Control"], name
        assert "private" in response["Cache-Control"], name


def test_static_files_keep_their_cache(client, db):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_other_security_headers(client, db):
    response = client.get("/accounts/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@override_settings(SECURE_SSL_REDIRECT=True, SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
                   SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
def test_production_redirects_to_https_and_sends_hsts_behind_the_proxy(client, db):
    plain = client.get("/accounts/login/")
    assert plain.status_code == 301 and plain.url.startswith("https://")
    secure = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    # The container's health check speaks plain HTTP on the inside.
    assert client.get("/healthz").status_code == 200


# --- Error pages ----------------------------------------------------------------------------

def test_a_403_is_a_danish_page_in_the_sites_layout(login, leader):
    response = login(leader).get("/citizens/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Du har ikke adgang til denne side" in html
    assert 'class="header"' in html and 'lang="da"' in html
    assert "Gå til din forside" in html


def test_a_403_in_english_for_one_who_chose_english(login, leader):
    client = login(leader)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/citizens/").content.decode()
    assert 'lang="en"' in html and "You do not have access to this page" in html


def test_a_404_is_a_danish_page_in_the_sites_layout(login, consultant):
    response = login(consultant).get("/citizens/999999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Siden findes ikke" in html and 'class="header"' in html


def test_an_ordinary_403_leaves_a_line_in_the_log_not_a_traceback(login, leader, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        login(leader).get("/citizens/")
    records = [r for r in caplog.records if r.name == "django.request"]
    assert records and all(r.exc_info is None and not r.exc_text for r in records)
    assert "Traceback" not in caplog.text


def test_a_500_is_a_danish_page_in_the_sites_layout(rf, consultant):
    from taskforce.views import server_error

    request = rf.get("/citizens/")
    request.user = consultant
    response = server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "Der skete en fejl hos os" in html and 'class="header"' in html


def test_the_500_handler_is_ours():
    from taskforce import urls

    assert urls.handler500 == "taskforce.views.server_error"


def test_a_500_page_still_answers_when_the_layout_cannot_render(rf, monkeypatch):
    from taskforce import views

    def broken(*args, **kwargs):
        raise RuntimeError("template failure")

    monkeypatch.setattr(views.loader, "render_to_string", broken)
    response = views.server_error(rf.get("/"))
    html = response.content.decode()
    # The plain page, not the template's: it has no stylesheet link.
    assert response.status_code == 500 and "Der skete en fejl" in html and "stylesheet" not in html


def test_a_stale_form_gets_a_danish_page_not_djangos(client, consultant, db):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(consultant)
    response = strict.post("/citizens/new/", {"first_name": "X"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Formularen er udløbet" in html and "Intet er gemt" in html


def test_a_request_for_another_host_is_a_400_and_a_line_not_a_traceback(client, db, caplog):
    with caplog.at_level(logging.INFO):
        response = client.get("/accounts/login/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "Siden kunne ikke forstå forespørgslen" in response.content.decode()
    records = [r for r in caplog.records if r.name.startswith("django.security")]
    assert records and all(r.exc_info is None for r in records)
