"""The action plan's PDF takes its look from static/css/action-plan-report.css, handed to
WeasyPrint: the template holds no inline style (the Content Security Policy allows none)."""

import shutil
import subprocess

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from tests.factories import make_action


def test_the_template_holds_no_inline_style(task_force):
    html = render_to_string(
        "workspace/action_plan_report.html",
        {"tf": task_force, "actions": [], "today": timezone.localdate()},
    )
    assert "<style" not in html and " style=" not in html


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="needs poppler's pdfinfo")
def test_the_pdf_is_drawn_with_the_stylesheet_on_a4_landscape(login, leader_member, task_force, tmp_path):
    make_action(task_force, leader_member)
    response = login(leader_member.user).get(f"/taskforce/{task_force.pk}/actions/export.pdf")
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(response.content)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "841.89 x 595.276 pts (A4)" in info  # landscape: only the stylesheet says so
