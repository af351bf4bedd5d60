"""Static files in every set-up, `make run` included (issue 10, point 16): fingerprinted names
under DEBUG too, compressed copies, a year's cache (core/staticfiles.py with whitenoise)."""

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.templatetags.static import static

from taskforce import settings as real_settings


@pytest.fixture
def collected(tmp_path, settings):
    source = tmp_path / "source"
    (source / "css").mkdir(parents=True)
    (source / "css" / "site.css").write_text("body { background: url('../img/dot.svg'); }\n" * 50)
    (source / "img").mkdir()
    (source / "img" / "dot.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    settings.STATIC_ROOT = tmp_path / "collected"
    settings.STATICFILES_DIRS = [source]
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STORAGES = real_settings.STORAGES
    settings.WHITENOISE_USE_FINDERS = real_settings.WHITENOISE_USE_FINDERS
    settings.WHITENOISE_AUTOREFRESH = real_settings.WHITENOISE_AUTOREFRESH
    call_command("collectstatic", interactive=False, verbosity=0)
    # Django resets its storage when the settings fixture puts STORAGES back.
    return settings.STATIC_ROOT


def test_the_real_settings_use_the_fingerprinted_storage_and_no_finders():
    assert real_settings.STORAGES["staticfiles"]["BACKEND"] == "core.staticfiles.FingerprintedStaticFilesStorage"
    assert real_settings.WHITENOISE_USE_FINDERS is False
    assert "whitenoise.runserver_nostatic" in real_settings.INSTALLED_APPS
    assert real_settings.INSTALLED_APPS.index("whitenoise.runserver_nostatic") < real_settings.INSTALLED_APPS.index(
        "django.contrib.staticfiles"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [True, False])
def test_pages_name_fingerprinted_compressed_files_served_with_a_long_cache(collected, settings, debug):
    settings.DEBUG = debug
    url = static("css/site.css")
    assert url.startswith("/static/css/site.") and url.endswith(".css") and url != "/static/css/site.css"
    name = url.removeprefix("/static/")
    assert (collected / name).exists() and (collected / (name + ".gz")).exists()
    # The stylesheet's own reference is fingerprinted too.
    assert "dot." in (collected / name).read_text() and "dot.svg'" not in (collected / name).read_text()

    with override_settings(MIDDLEWARE=["whitenoise.middleware.WhiteNoiseMiddleware"]):
        response = Client().get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "immutable" in response["Cache-Control"] and "max-age=315360000" in response["Cache-Control"]
