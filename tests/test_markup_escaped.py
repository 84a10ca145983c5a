"""Markup typed into a query parameter or stored in any text field is shown as text on every public
page, never as markup (htmx would turn an injected `hx-get … hx-trigger=load` into a request made
with the visitor's session). The walk is generic: every public GET route, every query parameter the
code reads (found in its source), every String/Text/JSON column of the records those pages show."""

import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import Answer, Article, Department, Matter, Platform, Rating
from portal.models.matter import MatterFaq, MatterFee, MatterItem, MatterLegalBasis, MatterMaterial, MatterStep
from portal.permissions import PUBLIC

PAYLOAD = "<b hx-get=/q>"  # 13 characters: fits every free-text column
INJECTED = re.compile(r"<b hx-get=/q", re.IGNORECASE)
SOURCE = Path(__file__).resolve().parent.parent / "portal"
# Parameters read through helpers rather than request.args.get("name") in the view itself.
EXTRA_PARAMETERS = {"theme", "life_event", "department", "audience", "level", "type", "matter_type", "online_depth",
                    "state", "code", "session_state", "error", "error_description", "since", "cursor", "format",
                    "category", "region", "column", "sort", "tab", "kind"}
SKIPPED = {"static"}


def query_parameters():
    pattern = re.compile(r"""request\.args(?:\.get(?:list)?\(|\[)\s*["'](\w+)["']""")
    found = {name for path in SOURCE.rglob("*.py") for name in pattern.findall(path.read_text(encoding="utf-8"))}
    return sorted(found | EXTRA_PARAMETERS)


def _fill_text_columns(record, skip=()):
    """Every free-text column of `record` gets the payload (JSON lists get it as their one item)."""
    for column in sa.inspect(type(record)).columns:
        if column.primary_key or column.foreign_keys or column.name in skip:
            continue
        if isinstance(column.type, sa.JSON):
            if isinstance(getattr(record, column.key), list) or getattr(record, column.key) is None:
                setattr(record, column.key, [PAYLOAD])
        elif isinstance(column.type, sa.String | sa.Text):
            length = getattr(column.type, "length", None)
            if length is None or length >= len(PAYLOAD):
                setattr(record, column.key, PAYLOAD)
    return record


@pytest.fixture
def marked_up_records(app, make_user):
    """A department, platform, published matter (with every child list), answer and article whose text
    fields all hold markup; the codes and slugs the URLs need stay plain."""
    department = _fill_text_columns(Department(code="D-XSS", name="x", slug="xss-dept"), skip={"code", "slug"})
    department.leaders = [{"name": PAYLOAD, "title": PAYLOAD, "duties": PAYLOAD}]
    platform = _fill_text_columns(Platform(code="P-XSS", name="x", base_url="http://127.0.0.1:8001",
                                           department=department), skip={"code", "base_url", "mobile_base_url"})
    matter = Matter(code="M-XSS-1", name="x", department=department, platform=platform, status="published",
                    handling_url="http://127.0.0.1:8001/apply/M-XSS-1", online_depth=3)
    _fill_text_columns(matter, skip={"code", "status", "handling_url", "mobile_handling_url", "source_handling_url"})
    matter.materials = [_fill_text_columns(MatterMaterial(name="x"), skip={"blank_form_url", "sample_url"})]
    matter.fees = [_fill_text_columns(MatterFee(item="x"))]
    matter.legal_bases = [_fill_text_columns(MatterLegalBasis(title="x"))]
    matter.steps = [_fill_text_columns(MatterStep(name="x"))]
    matter.faqs = [_fill_text_columns(MatterFaq(question="x", answer="x"))]
    matter.items = [_fill_text_columns(MatterItem(name="x"), skip={"handling_url"})]
    answer = _fill_text_columns(Answer(question="x", public_answer="x", department=department, status="published",
                                       matters=[matter]), skip={"status", "source_ref"})
    answer.review_reason = None
    article = _fill_text_columns(Article(department=department, column="通知公告", title="x", slug="xss-article",
                                         status="published"), skip={"status", "slug", "column"})
    from portal.models import utcnow

    for record in (matter, answer, article):
        record.published_at = utcnow()
    rater = make_user("citizen", username="xss-rater")
    rater.display_name = PAYLOAD
    db.session.add_all([department, platform, matter, answer, article])
    db.session.flush()
    db.session.add(Rating(matter_id=matter.id, user_id=rater.id, level=next(iter(_rating_levels())),
                          comment=PAYLOAD))
    db.session.commit()
    return {"code": matter.code, "slug": department.slug, "article_slug": article.slug, "column": article.column,
            "id": answer.id, "answer_id": answer.id, "article_id": article.id, "matter_id": matter.id,
            "locale": "en"}


def _rating_levels():
    from portal.models.catalogue import RATING_LEVELS

    return RATING_LEVELS


def _public_get_urls(app, samples):
    urls = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if rule.endpoint in SKIPPED or "GET" not in rule.methods or getattr(view, "permission", None) != PUBLIC:
            continue
        url = rule.rule
        for name in rule.arguments:
            url = re.sub(rf"<(?:\w+:)?{name}>", str(samples.get(name, "1")), url)
        urls.append(url)
    return sorted(set(urls))


def _injected(response):
    """Markup in an HTML (or XML) answer; JSON and CSV carry data as data and are not parsed as markup."""
    markup = response.mimetype in ("text/html", "application/xhtml+xml", "application/atom+xml", "application/xml")
    return markup and bool(INJECTED.search(response.get_data(as_text=True)))


@pytest.mark.integration
def test_markup_in_stored_fields_and_query_parameters_is_escaped_on_every_public_page(
        app, client, elasticsearch, marked_up_records):
    from portal.site_search.index import reindex_kind

    for kind in ("matter", "answer", "article"):
        reindex_kind(kind)
    parameters = query_parameters()
    assert {"q", "page", "next", "theme"} <= set(parameters)
    urls = _public_get_urls(app, marked_up_records)
    assert "/matters" in urls and "/matters/<code>" not in urls
    failures = []
    for url in urls:
        if _injected(client.get(url)):
            failures.append(f"{url} (stored text)")
        everything = client.get(url, query_string=dict.fromkeys(parameters, PAYLOAD))
        if everything.status_code >= 500 or _injected(everything):
            failures.append(f"{url} with every parameter: {everything.status_code}")
        for name in parameters:
            response = client.get(url, query_string={name: PAYLOAD})
            if response.status_code >= 500 or _injected(response):
                failures.append(f"{url}?{name}=…: {response.status_code}")
    assert not failures, "markup not escaped (or a 5xx):\n" + "\n".join(failures)


def test_data_shown_in_the_users_language_is_escaped_not_marked_safe(app):
    """`_()` marks its result safe, so data must go through `| translated`; `_()` takes literal msgids only."""
    with app.test_request_context("/"):
        from flask import render_template_string

        assert render_template_string("{{ value | translated }}", value=PAYLOAD) == "&lt;b hx-get=/q&gt;"
        assert render_template_string("{{ value | translated }}", value="100%(x)s") == "100%(x)s"


def test_no_template_passes_data_through_gettext():
    templates = Path(__file__).resolve().parent.parent / "portal" / "templates"
    data_in_gettext = re.compile(r"""\b_\(\s*[^'"\s)]""")
    offenders = [f"{path.relative_to(templates)}:{number}" for path in templates.rglob("*.html")
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if data_in_gettext.search(line)]
    assert not offenders, "data given to _() is marked safe unescaped; use `| translated`: " + ", ".join(offenders)


def test_htmx_may_not_eval_or_run_injected_scripts_and_csp_pins_base_and_forms(client, app):
    response = client.get("/")
    page = response.get_data(as_text=True)
    config = re.search(r"""<meta name="htmx-config" content='([^']*)'>""", page)
    assert config, "no htmx-config meta"
    import json

    settings = json.loads(config.group(1))
    assert settings["selfRequestsOnly"] is True and settings["allowEval"] is False
    assert settings["allowScriptTags"] is False
    policy = response.headers["Content-Security-Policy"]
    assert "base-uri 'none'" in policy and "form-action 'self'" in policy and "object-src 'none'" in policy


def test_query_text_containers_are_not_processed_by_htmx(client, app):
    page = client.get("/matters", query_string={"theme": PAYLOAD}).get_data(as_text=True)
    assert '<div class="browse-layout" hx-disable>' in page and 'class="chosen" hx-disable' in page
