"""12345 knowledge base: answer editing by department editors (through portal.workflow), the
待复核 list of stale answers, and the public FAQ pages (/answers)."""

from flask import Blueprint

from portal.knowledge import stale
from portal.sanitize import safe_html

knowledge = Blueprint("knowledge", __name__)
knowledge.add_app_template_filter(safe_html, "rich_text")


@knowledge.app_template_filter("matter_field_label")
def matter_field_label(name):
    """A matter field's label as editors know it (for what changed in a linked matter)."""
    from portal.editor.service import field_labels

    return field_labels("matter").get(name, name)


stale.register()

from portal.knowledge import views  # noqa: E402,F401
