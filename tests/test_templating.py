"""House style for templates (issue 14 item 8): shared parts in templates/components/, every Jinja
filter, global and context processor registered by portal/templating.py from create_app, workflow
hooks by create_app — not by whichever blueprint happened to define them."""

import re
from collections import defaultdict
from pathlib import Path

import pytest

PORTAL = Path(__file__).resolve().parent.parent / "portal"
TEMPLATES = PORTAL / "templates"
REGISTERS = re.compile(r"app_template_(?:filter|global|test)|add_app_template_|app_context_processor|"
                       r"\.context_processor\b|add_template_(?:filter|global)|jinja_env\.(?:filters|globals)")
# A blueprint installing app-wide request hooks when it is registered (create_app does that instead).
APP_HOOKS = re.compile(r"@\w+\.record(?:_once)?\b|\.record_once\(|(?:before|after|teardown)_app_request|"
                       r"app_errorhandler")


@pytest.mark.integration
def test_every_template_compiles(app):
    names = [str(path.relative_to(TEMPLATES)) for path in TEMPLATES.rglob("*.html")]
    assert len(names) > 50
    for name in names:
        app.jinja_env.get_template(name)


@pytest.mark.unit
def test_template_helpers_are_registered_in_one_module():
    found = [f"{path.relative_to(PORTAL)}:{number}" for path in PORTAL.rglob("*.py")
             if path.name != "templating.py"
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if REGISTERS.search(line)]
    assert found == []


@pytest.mark.unit
def test_blueprints_install_no_app_wide_request_hooks():
    found = [f"{path.relative_to(PORTAL)}:{number}" for path in PORTAL.rglob("*.py")
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if APP_HOOKS.search(line)]
    assert found == []


@pytest.mark.unit
def test_no_macro_is_defined_twice():
    """A second `pagination` or `field` macro in a blueprint's folder is what components/ is for."""
    defined = defaultdict(list)
    for path in TEMPLATES.rglob("*.html"):
        for name in re.findall(r"\{%-?\s*macro\s+(\w+)", path.read_text(encoding="utf-8")):
            defined[name].append(str(path.relative_to(TEMPLATES)))
    assert {name: where for name, where in defined.items() if len(where) > 1} == {}


@pytest.mark.integration
def test_the_shared_helpers_are_there(app):
    for name in ("status_label", "kind_label", "edit_url", "site_search", "platform_unreachable",
                 "handoff_status_label", "message_status_label", "article_columns"):
        assert name in app.jinja_env.globals, name
    for name in ("translated", "rich_text", "beijing", "mask_personal", "matter_field_label"):
        assert name in app.jinja_env.filters, name


@pytest.mark.integration
def test_the_knowledge_workflow_hooks_come_from_create_app(app):
    from portal.knowledge.stale import clear_on_republished_answer, flag_answers_of_changed_matter
    from portal.workflow import machine

    hooks = machine.published_hooks
    assert hooks.count(flag_answers_of_changed_matter) == 1 and hooks.count(clear_on_republished_answer) == 1
