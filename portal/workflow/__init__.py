"""One editorial workflow for every record with EditorialMixin (matters, answers, articles):
states and transitions, versions, restore, diffs, optimistic locking, audit and search outbox."""

from portal.workflow.diff import FieldChange, compare
from portal.workflow.kinds import KINDS, Kind, kind_named, kind_of
from portal.workflow.machine import (
    ACTIONS,
    IllegalTransition,
    NotPermitted,
    StaleEdit,
    WorkflowError,
    action_label,
    allowed_actions,
    can_save,
    create,
    find_version,
    has_edition,
    publish_due,
    published_version,
    restore,
    save,
    status_label,
    transition,
    working_snapshot,
    working_status,
)
from portal.workflow.snapshot import take_snapshot

__all__ = [
    "ACTIONS", "KINDS", "FieldChange", "IllegalTransition", "Kind", "NotPermitted", "StaleEdit", "WorkflowError",
    "action_label", "allowed_actions", "can_save", "compare", "create", "find_version", "has_edition", "kind_named",
    "kind_of", "publish_due", "published_version", "restore", "save", "status_label", "take_snapshot", "transition",
    "working_snapshot", "working_status",
]
