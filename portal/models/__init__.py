"""All tables of the portal; importing this package registers them with SQLAlchemy."""

from portal.models.article import ARTICLE_COLUMNS, Article, ArticleVersion
from portal.models.audit import AuditLog, LinkThrough, SearchOutbox
from portal.models.base import STATUSES, utcnow
from portal.models.catalogue import Appeal, Rating, Rectification
from portal.models.generation import ContentGeneration
from portal.models.hotline import AnswerFeedback, AnswerUse, CallLog, HandOff
from portal.models.interaction import Message, MessageReply
from portal.models.knowledge import Answer, AnswerVersion, answer_matters
from portal.models.matter import (
    MATTER_TYPES,
    Matter,
    MatterFaq,
    MatterFee,
    MatterItem,
    MatterLegalBasis,
    MatterMaterial,
    MatterStep,
    MatterVersion,
)
from portal.models.open_data import (
    InformationResource,
    InformationResourceVersion,
    OpenChange,
    OpenChangeSequence,
    ResourceDataItem,
)
from portal.models.organisation import Department, Platform
from portal.models.oversight import PlatformCheck, PlatformDecision
from portal.models.search import BestBet, LexiconEntry, PageView, QueryLog, SearchClick, SearchGeneration, SynonymGroup
from portal.models.sso_session import SsoSession
from portal.models.user import ROLES, User

__all__ = [
    "ARTICLE_COLUMNS", "MATTER_TYPES", "ROLES", "STATUSES",
    "BestBet", "LexiconEntry", "PageView", "QueryLog", "SearchClick", "SearchGeneration", "SynonymGroup",
    "AnswerFeedback", "AnswerUse", "CallLog", "HandOff",
    "Answer", "AnswerVersion", "Appeal", "Article", "ArticleVersion", "AuditLog", "ContentGeneration", "Department",
    "LinkThrough", "Message", "MessageReply",
    "Matter", "MatterFaq", "MatterFee", "MatterItem", "MatterLegalBasis", "MatterMaterial", "MatterStep",
    "MatterVersion", "Platform", "PlatformCheck", "PlatformDecision",
    "Rating", "Rectification", "SearchOutbox", "SsoSession", "User", "answer_matters",
    "utcnow",
    "InformationResource", "InformationResourceVersion", "OpenChange", "OpenChangeSequence", "ResourceDataItem",
]
