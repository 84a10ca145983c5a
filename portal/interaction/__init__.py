"""政民互动: citizens write to departments (留言, 领导信箱, online 12345 requests); the public reads
the replied messages that may be published, with personal data masked."""

from flask import Blueprint

from portal.interaction import service

interaction = Blueprint("interaction", __name__)


@interaction.app_context_processor
def labels():
    return {"message_kind_label": service.kind_label, "message_status_label": service.status_label,
            "message_rating_label": service.rating_label}


from portal.interaction import staff_views, views  # noqa: E402,F401
