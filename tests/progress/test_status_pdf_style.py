"""The status report's PDF takes its look from static/css/status-report.css, handed to
WeasyPrint: the template holds no inline style (the Content Security Policy allows none)."""

import re
import shutil
import subprocess

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from progress.dashboard import build_dashboard

from .conftest import APRIL_1


def test_the_template_holds_no_inline_style(fredericia, target):
    html = render_to_string("progress/report.html", {"d": build_dashboard(fredericia, APRIL_1, masked=False)})
    assert "<style" not in html and " style=" not in html


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_the_pdf_is_drawn_with_the_stylesheet_and_numbers_its_pages(login, manager, target, hire, tmp_path):
    hire()
    response = login(manager).get(reverse("progress:status_pdf"), {"municipality": 607, "as_of": "2026-04-01"})
    pdf = tmp_path / "status.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    # The page counter in the margin comes from the stylesheet's @page rule.
    assert re.search(r"(?m)^1\s*/\s*\d+$", text)
