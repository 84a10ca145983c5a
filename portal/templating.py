"""Everything the templates share, registered in one place by create_app: Jinja filters, globals and
context processors. Blueprints define no template helpers of their own; a newcomer looking for
`status_label` or `| beijing` finds it listed here. Shared template parts (pagination, the search
box, flash messages, breadcrumbs, empty states, form fields) are in templates/components/.

The helpers themselves stay in the modules whose work they show (the workflow's labels in
portal/workflow, 12345 labels in portal/hotline/cases.py …); this module only names them for Jinja.
"""

from flask_babel import gettext as _


def kind_label(entity_type):
    """What editors call each kind of content."""
    return {"matter": _("办事事项"), "article": _("文章"), "answer": _("热线问答"),
            "resource": _("信息资源")}.get(entity_type, entity_type)


def beijing(moment, seconds=False):
    """`{{ moment | beijing }}`: a stored (UTC) time as Beijing time, 'YYYY-MM-DD HH:MM'."""
    from portal.beijing_time import beijing_text

    return beijing_text(moment, with_seconds=seconds)


def matter_field_label(name):
    """A matter field's label as editors know it (for what changed in a linked matter)."""
    from portal.editor.service import field_labels

    return field_labels("matter").get(name, name)


def platform_unreachable(platform):
    from portal.oversight.health import unreachable

    return unreachable(platform)


def filters():
    from portal.i18n import translated
    from portal.knowledge.masking import mask_personal_data
    from portal.sanitize import safe_html

    return {
        "translated": translated,            # data shown in the user's language, escaped
        "rich_text": safe_html,              # stored HTML cleaned again on display
        "beijing": beijing,
        "mask_personal": mask_personal_data,
        "matter_field_label": matter_field_label,
    }


def template_globals():
    from portal import workflow
    from portal.editor.views import edit_url
    from portal.hotline.cases import handoff_status_label, outcome_label
    from portal.interaction import service as interaction
    from portal.models import ARTICLE_COLUMNS
    from portal.site_search.pages.requests import site_search

    return {
        # editorial workflow (editor, knowledge, open data, oversight pages)
        "status_label": workflow.status_label,
        "working_status": workflow.working_status,
        "published_version": workflow.published_version,
        "action_label": workflow.action_label,
        "kind_label": kind_label,
        "edit_url": edit_url,
        # 12345 hand-offs and 政民互动 messages
        "handoff_status_label": handoff_status_label,
        "outcome_label": outcome_label,
        "message_kind_label": interaction.kind_label,
        "message_status_label": interaction.status_label,
        "message_rating_label": interaction.rating_label,
        # catalogue, department sites, the header's search box
        "article_columns": ARTICLE_COLUMNS,
        "platform_unreachable": platform_unreachable,
        "site_search": site_search,
    }


def request_context():
    """Values computed per request for every template."""
    from portal.display_mode import elder_mode
    from portal.i18n import template_globals as locale_globals

    return {**locale_globals(), "elder_mode": elder_mode()}


def init_app(app):
    """Called by create_app once the blueprints are registered (the helpers live in their packages)."""
    from portal.i18n import template_callables

    for name, function in filters().items():
        app.add_template_filter(function, name)
    app.jinja_env.globals.update(template_globals())
    # _(), gettext() … in every template: the request's catalogue looked up once per request, not
    # once per call as by the callables Flask-Babel's init_app installed (same output).
    app.jinja_env.globals.update(template_callables())
    app.context_processor(request_context)
