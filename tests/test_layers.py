"""The house keeps its layers: each app of ours imports only from apps in layers below it,
never from one above it and never from another app of its own layer, so no two apps import
each other. Every module of every app is read (migrations aside), imports inside functions
included; the models' relations to other apps, the templates an app's templates include or
extend, and the order of INSTALLED_APPS follow the same order.

    core → outbox → accounts → notifications → audit → citizens, employers → placements
         → courses → progress → workspace, imports → worklist → retention
         → taskforce (the project package)
"""

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent

LAYERS = (
    ("core",),
    ("outbox",),
    ("accounts",),
    ("notifications",),
    ("audit",),
    ("citizens", "employers"),
    ("placements",),
    ("courses",),
    ("progress",),
    ("workspace", "imports"),
    ("worklist",),
    ("retention",),
    ("taskforce",),
)
LAYER_OF = {app: depth for depth, names in enumerate(LAYERS) for app in names}


def imported_apps(source):
    """[(line, app)]: every import of one of our apps in a module's source, wherever it
    stands (module level, inside a function, under `if TYPE_CHECKING`)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue  # a relative import stays inside its own app
        found += [(node.lineno, name.split(".")[0]) for name in names if name.split(".")[0] in LAYER_OF]
    return found


def wrong_imports(app, source):
    """The imports in `source` (a module of `app`) that point up the order or sideways."""
    return [
        (line, target)
        for line, target in imported_apps(source)
        if target != app and LAYER_OF[target] >= LAYER_OF[app]
    ]


def modules(app):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.relative_to(ROOT).parts:
            yield path


def test_it_knows_every_app_of_ours():
    ours = {config.name for config in apps.get_app_configs() if (ROOT / config.name).is_dir()}
    assert ours == set(LAYER_OF)


@pytest.mark.parametrize("app", list(LAYER_OF))
def test_no_module_of_the_app_imports_an_app_above_it_or_beside_it(app):
    problems = [
        f"{path.relative_to(ROOT)}:{line} imports {target}"
        for path in modules(app)
        for line, target in wrong_imports(app, path.read_text(encoding="utf-8"))
    ]
    assert not problems, "\n".join(problems)


def test_no_models_relation_points_up_the_order_or_sideways():
    problems = []
    for model in apps.get_models():
        app = model._meta.app_label
        if app not in LAYER_OF:
            continue
        for field in model._meta.get_fields():
            if not field.is_relation or field.auto_created:
                continue
            target = field.related_model._meta.app_label
            if target in LAYER_OF and target != app and LAYER_OF[target] >= LAYER_OF[app]:
                problems.append(f"{model._meta.label}.{field.name} → {field.related_model._meta.label}")
    assert not problems, "\n".join(problems)


TEMPLATE_REUSE = re.compile(r"""\{%\s*(?:include|extends)\s+["']([a-z_]+)/""")


def reused_template_apps(text):
    return [name for name in TEMPLATE_REUSE.findall(text) if name in LAYER_OF]


def test_no_apps_templates_include_or_extend_those_of_an_app_above_it_or_beside_it():
    problems = [
        f"{path.relative_to(ROOT)} uses {other}/"
        for app in LAYER_OF
        for path in sorted((ROOT / "templates" / app).rglob("*.html"))
        for other in reused_template_apps(path.read_text(encoding="utf-8"))
        if other != app and LAYER_OF[other] >= LAYER_OF[app]
    ]
    assert not problems, "\n".join(problems)


def test_installed_apps_lists_ours_in_the_order_of_the_layers():
    ours = [name for name in settings.INSTALLED_APPS if name in LAYER_OF]
    assert sorted(ours, key=LAYER_OF.get) == ours and set(ours) == set(LAYER_OF)


# The checker itself: it must see what it is there to see.

def test_it_finds_an_import_inside_a_function():
    source = "def f():\n    from workspace.models import TaskForce\n    return TaskForce\n"
    assert wrong_imports("citizens", source) == [(2, "workspace")]


def test_it_finds_an_import_of_an_app_beside_it_in_its_layer():
    assert wrong_imports("employers", "from citizens.forms import CitizenForm\n") == [(1, "citizens")]
    assert wrong_imports("imports", "import workspace.services\n") == [(1, "workspace")]


def test_it_allows_imports_from_below_and_from_inside_the_app():
    source = "from core.forms import DateInput\nfrom . import services\nfrom .models import Citizen\nimport django\n"
    assert wrong_imports("citizens", source) == []
    assert wrong_imports("taskforce", "from workspace.access import task_forces_for_user\n") == []


def test_it_finds_a_template_that_includes_or_extends_another_apps():
    text = '{% extends "workspace/_base.html" %}{% include "includes/field.html" %}{% include \'progress/_chart.html\' %}'
    assert reused_template_apps(text) == ["workspace", "progress"]
