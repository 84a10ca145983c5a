"""The record kinds that go through the editorial workflow (every model with EditorialMixin)."""

from dataclasses import dataclass, field

from sqlalchemy import inspect

from portal.models import Answer, Article, InformationResource, Matter


@dataclass(frozen=True)
class Kind:
    entity_type: str  # as in audit rows, outbox rows and URLs: matter | answer | article
    model: type
    title_field: str
    links: tuple = field(default=())  # many-to-many relationships kept in snapshots as id lists

    @property
    def version_model(self):
        return inspect(self.model).relationships["versions"].mapper.class_

    @property
    def version_parent_key(self):
        """The version table's column naming the record (matter_id, answer_id, article_id)."""
        relationship = inspect(self.model).relationships["versions"]
        return next(iter(relationship.remote_side)).key

    def title_of(self, entity):
        return getattr(entity, self.title_field)


KINDS = {
    kind.entity_type: kind for kind in (
        Kind("matter", Matter, "name"),
        Kind("answer", Answer, "question", links=("matters",)),
        Kind("article", Article, "title"),
        Kind("resource", InformationResource, "name"),  # 政务信息资源目录 (portal/open_data/resources.py)
    )
}


def kind_of(entity):
    for kind in KINDS.values():
        if isinstance(entity, kind.model):
            return kind
    raise TypeError(f"{type(entity).__name__} is not an editorial record")


def kind_named(entity_type):
    """The kind for an entity type from a URL or API call, or None."""
    return KINDS.get(entity_type)
