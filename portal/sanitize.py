"""Rich text from editors, cleaned with nh3 against an explicit allow-list: before it is stored
and again when it is shown (so a row written by any other path is still safe on the page)."""

import nh3
from markupsafe import Markup

ALLOWED_TAGS = frozenset({
    "p", "br", "h2", "h3", "h4", "strong", "em", "b", "i", "u", "s", "sub", "sup",
    "ul", "ol", "li", "blockquote", "a", "table", "caption", "thead", "tbody", "tr", "th", "td", "hr",
})
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


def clean_html(html):
    """The allowed subset of `html`; scripts, styles, event handlers and javascript: links are dropped."""
    return nh3.clean(
        html or "",
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
    )


def safe_html(html):
    """Markup for templates: cleaned again on display."""
    return Markup(clean_html(html))  # noqa: S704 - cleaned by nh3 just above
