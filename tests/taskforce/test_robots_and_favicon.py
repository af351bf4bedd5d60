"""An internal case system keeps search engines out (robots.txt, the X-Robots-Tag header and
the robots meta tag on every page), and answers the browser's request for /favicon.ico."""

import re

import pytest

ROBOTS_META = '<meta name="robots" content="noindex, nofollow">'


def test_robots_txt_disallows_everything_before_login(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().splitlines() == ["User-agent: *", "Disallow: /"]


@pytest.mark.parametrize("url", ["/accounts/login/", "/findes-ikke/", "/robots.txt", "/healthz"])
def test_every_answer_tells_search_engines_to_stay_out_even_before_login(client, db, url):
    assert client.get(url)["X-Robots-Tag"] == "noindex, nofollow"


def test_pages_errors_and_downloads_of_one_logged_in_tell_search_engines_to_stay_out(login, consultant, leader):
    client = login(consultant)
    for url in ("/citizens/", "/dashboard/export.csv", "/citizens/999999/"):
        assert client.get(url)["X-Robots-Tag"] == "noindex, nofollow", url
    assert login(leader).get("/citizens/")["X-Robots-Tag"] == "noindex, nofollow"


def test_every_page_carries_the_robots_meta_tag(login, consultant, client, db):
    assert ROBOTS_META in client.get("/accounts/login/").content.decode()
    assert ROBOTS_META in login(consultant).get("/citizens/").content.decode()


def icon_link(html):
    return re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html).group(1)


def test_favicon_ico_leads_to_the_icon_every_page_names(client, db):
    page_icon = icon_link(client.get("/accounts/login/").content.decode())
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == page_icon
    icon = client.get(page_icon)
    assert icon.status_code == 200
    assert icon["Content-Type"].startswith("image/svg+xml")
    assert b"<svg" in b"".join(icon.streaming_content if icon.streaming else [icon.content])
