"""The templates' _(), gettext() and ngettext() (portal/i18n.py, registered by portal/templating.py):
what jinja2.ext's newstyle callables over Flask-Babel give, with the request's catalogue looked up
once per request instead of once per call."""

import pytest
from flask import g, render_template_string
from flask_babel import get_translations
from jinja2 import Environment

from portal import i18n

pytestmark = pytest.mark.integration

SOURCES = [
    "{{ _('全部') }}|{{ gettext('办事') }}|{{ _('不在目录里的词') }}",
    "{{ _('没有编码为 %(code)s 的已发布事项。', code='<b>&') }}",
    "{{ _('请填写%(what)s。', what=value) }}",
    "{{ _('一次搜索点开几个结果时会超过 100%%。') }}",
    "{{ ngettext('%(num)s 项', '%(num)s 项', 3) }}|{{ ngettext('一项', '%(num)d 项', 1, extra='<i>') }}",
    "{{ pgettext('菜单', '全部') }}|{{ npgettext('菜单', '%(num)s 项', '%(num)s 项', 2) }}",
    "{% autoescape false %}{{ _('没有编码为 %(code)s 的已发布事项。', code='<b>') }}{{ _('全部') }}{% endautoescape %}",
    "{% trans %}全部{% endtrans %}|{% trans n=2 %}{{ n }} 项{% pluralize %}{{ n }} 项{% endtrans %}",
]


def _flask_babel_environment(app):
    """The environment as Flask-Babel's init_app configures Jinja (the callables this module replaced)."""
    environment = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    environment.install_gettext_callables(
        gettext=lambda s: get_translations().ugettext(s),
        ngettext=lambda s, p, n: get_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: get_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: get_translations().unpgettext(c, s, p, n),
    )
    return environment


def _request(app, path):
    """A request context whose `g` starts empty, as in production (the tests' app context is
    session-wide, and `g` is where Flask-Babel keeps the request's locale and we its catalogue)."""
    for name in list(g):
        g.pop(name)
    return app.test_request_context(path)


@pytest.mark.parametrize("path", ["/", "/?lang=en"])
def test_same_output_as_flask_babels_callables(app, path):
    reference = _flask_babel_environment(app)
    with _request(app, path):
        for source in SOURCES:
            expected = reference.from_string(source).render(value="<script>")
            assert render_template_string(source, value="<script>") == expected, source
        english = render_template_string("{{ _('全部') }}") != "全部"
        assert english == path.endswith("en")  # the catalogue of the request's language is in use


def test_the_catalogue_is_looked_up_once_per_request(app, client, monkeypatch):
    lookups = []

    def counted():
        lookups.append(1)
        return get_translations()

    monkeypatch.setattr(i18n, "get_translations", counted)
    page = client.get("/no-such-page")  # base.html, the search box and the error page: many _()
    assert page.status_code == 404 and "页面不存在" in page.get_data(as_text=True)
    assert len(lookups) == 1
    client.set_cookie("portal_locale", "en")
    assert "Page not found" in client.get("/no-such-page").get_data(as_text=True)  # nothing kept across requests
    assert len(lookups) == 2


def test_outside_a_request(app):
    for name in list(g):
        g.pop(name)
    assert i18n.translations() is i18n.translations()  # kept in the app context
    assert app.jinja_env.from_string("{{ _('全部') }}").render() == "全部"  # the default language
