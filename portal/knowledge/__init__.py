"""12345 knowledge base: answer editing by department editors (through portal.workflow), the
待复核 list of stale answers, and the public FAQ pages (/answers)."""

from flask import Blueprint

knowledge = Blueprint("knowledge", __name__)
from portal.knowledge import views  # noqa: E402,F401
