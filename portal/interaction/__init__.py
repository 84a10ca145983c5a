"""政民互动: citizens write to departments (留言, 领导信箱, online 12345 requests); the public reads
the replied messages that may be published, with personal data masked."""

from flask import Blueprint

interaction = Blueprint("interaction", __name__)

from portal.interaction import staff_views, views  # noqa: E402,F401
