"""The platform registry: who sees which platforms, edits (audited) and merges of duplicates."""

from datetime import timedelta
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select, update

from portal import audit
from portal.extensions import db
from portal.models import LinkThrough, Matter, Platform, utcnow
from portal.models.base import STATUS_PUBLISHED

# Fields of the registry an edit may change and the audit trail shows.
REGISTRY_FIELDS = ("name", "department_id", "base_url", "mobile_base_url", "kind", "sso_client_id", "contact",
                   "status", "notes", "is_down", "downtime_message")
# What department editors may change of their own department's platforms; the rest is the administrators'
# (where /go/ may lead, who owns it, and its single sign-on client).
DEPARTMENT_FIELDS = ("name", "kind", "contact", "status", "notes", "is_down", "downtime_message")


class MergeRefused(Exception):
    pass


def is_admin(user):
    return user.is_authenticated and user.has_role("admin")


def scope_department_id(user):
    """None for administrators (all platforms); the user's department otherwise (-1 when they have none)."""
    if is_admin(user):
        return None
    return user.department_id if user.department_id is not None else -1


def may_edit(user, platform):
    return is_admin(user) or (user.has_role("editor", "reviewer") and user.department_id is not None
                              and platform.department_id == user.department_id)


def platform_query(user, q="", department_id=None, status="", kind="", sso=""):
    query = select(Platform).order_by(Platform.name, Platform.id)
    own = scope_department_id(user)
    if own is not None:
        query = query.where(Platform.department_id == own)
    elif department_id:
        query = query.where(Platform.department_id == department_id)
    if q:
        pattern = f"%{q}%"
        query = query.where(or_(Platform.name.ilike(pattern), Platform.base_url.ilike(pattern),
                                Platform.code.ilike(pattern)))
    if status:
        query = query.where(Platform.status == status)
    if kind:
        query = query.where(Platform.kind == kind)
    if sso == "yes":
        query = query.where(Platform.sso_client_id.is_not(None), Platform.sso_client_id != "")
    elif sso == "no":
        query = query.where(or_(Platform.sso_client_id.is_(None), Platform.sso_client_id == ""))
    return query


def usage(platform_ids, days=30, now=None):
    """{platform id: (published matters, link-throughs in the last `days` days)}."""
    if not platform_ids:
        return {}
    since = (now or utcnow()) - timedelta(days=days)
    matters = dict(db.session.execute(
        select(Matter.platform_id, func.count()).where(Matter.platform_id.in_(platform_ids),
                                                       Matter.status == STATUS_PUBLISHED)
        .group_by(Matter.platform_id)).all())
    clicks = dict(db.session.execute(
        select(LinkThrough.platform_id, func.count()).where(LinkThrough.platform_id.in_(platform_ids),
                                                            LinkThrough.at >= since)
        .group_by(LinkThrough.platform_id)).all())
    return {pid: (matters.get(pid, 0), clicks.get(pid, 0)) for pid in platform_ids}


def snapshot(platform):
    values = {name: getattr(platform, name) for name in REGISTRY_FIELDS}
    values["merged_into_id"] = platform.merged_into_id
    values["extra_origins"] = list(platform.extra_origins or [])
    return values


def update_platform(actor, platform, values):
    """Sets the given registry fields; writes one audit row with before/after when anything changed."""
    before = snapshot(platform)
    for name, value in values.items():
        if name not in REGISTRY_FIELDS:
            raise ValueError(f"not a registry field: {name}")
        if isinstance(value, str):
            value = value.strip() or None
        setattr(platform, name, value)
    after = snapshot(platform)
    if after == before:
        return False
    changed = {key for key in after if after[key] != before[key]}
    audit.record(actor, "update", "platform", platform.code,
                 before={key: before[key] for key in changed}, after={key: after[key] for key in changed})
    complete_decisions(platform)
    db.session.commit()
    return True


def origin(url):
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme in ("http", "https") and parts.netloc else None


def merge(actor, keep, duplicate, comment=None):
    """`keep` absorbs `duplicate`: its matters move over (its link-through history stays its own), its
    origins stay followable through `keep`, and it is marked retired and merged. One transaction, audited on both."""
    if keep.id == duplicate.id:
        raise MergeRefused(_l("不能把平台并入它自己。"))
    if duplicate.merged_into_id is not None:
        raise MergeRefused(_l("该平台已并入其他平台。"))
    if keep.merged_into_id is not None:
        raise MergeRefused(_l("目标平台已并入其他平台，请选择仍在用的平台。"))
    before_keep, before_dup = snapshot(keep), snapshot(duplicate)
    moved = list(db.session.scalars(select(Matter.code).where(Matter.platform_id == duplicate.id)
                                    .order_by(Matter.code)))
    db.session.execute(update(Matter).where(Matter.platform_id == duplicate.id)
                       .values(platform_id=keep.id))
    origins = [o for o in [*(keep.extra_origins or []), origin(duplicate.base_url),
                           origin(duplicate.mobile_base_url), *(duplicate.extra_origins or [])] if o]
    own = {origin(keep.base_url), origin(keep.mobile_base_url)}
    keep.extra_origins = sorted(set(origins) - own)
    if not keep.sso_client_id and duplicate.sso_client_id:
        keep.sso_client_id = duplicate.sso_client_id
    duplicate.extra_origins = []
    duplicate.merged_into_id = keep.id
    duplicate.status = "retired"
    # Platforms merged into the duplicate earlier now point at the one that absorbed it.
    db.session.execute(update(Platform).where(Platform.merged_into_id == duplicate.id, Platform.id != duplicate.id)
                       .values(merged_into_id=keep.id))
    summary = {"merged": duplicate.code, "into": keep.code, "matters_moved": moved}
    audit.record(actor, "merge", "platform", keep.code, before=before_keep, after={**snapshot(keep), **summary},
                 comment=comment)
    audit.record(actor, "merged_into", "platform", duplicate.code, before=before_dup,
                 after={**snapshot(duplicate), **summary}, comment=comment)
    db.session.flush()
    complete_decisions(duplicate)
    db.session.commit()
    return moved


def merged_into(platform):
    """The platforms merged into this one."""
    return list(db.session.scalars(select(Platform).where(Platform.merged_into_id == platform.id)
                                   .order_by(Platform.name)))


class DecisionRefused(Exception):
    pass


def record_decision(actor, platform, finding, decision, merge_into=None, retire_by=None, note=None):
    """The administrators' decision on a report candidate: keep (done at once), merge into X, or retire
    by a date (open until the platform is merged or retired). Audited."""
    from portal.models import PlatformDecision
    from portal.models.oversight import DECISION_DONE, DECISION_OPEN, DECISIONS

    if decision not in DECISIONS:
        raise DecisionRefused(_l("请选择决定。"))
    if decision == "merge" and (merge_into is None or merge_into.id == platform.id
                                or merge_into.merged_into_id is not None):
        raise DecisionRefused(_l("并入时请填写另一个仍在用的平台的编码。"))
    if decision == "retire" and retire_by is None:
        raise DecisionRefused(_l("限期下线时请填写下线期限。"))
    row = PlatformDecision(platform=platform, finding=finding, decision=decision,
                           merge_into=merge_into if decision == "merge" else None,
                           retire_by=retire_by if decision == "retire" else None, note=note,
                           decided_by_id=getattr(actor, "id", None),
                           status=DECISION_DONE if decision == "keep" else DECISION_OPEN,
                           completed_at=utcnow() if decision == "keep" else None)
    db.session.add(row)
    audit.record(actor, "decide", "platform", platform.code, after={
        "finding": finding, "decision": decision, "merge_into": merge_into.code if row.merge_into else None,
        "retire_by": retire_by.isoformat() if row.retire_by else None}, comment=note)
    db.session.commit()
    return row


def complete_decisions(platform):
    """Marks the platform's open merge/retire decisions done once it is merged or retired (same transaction)."""
    from portal.models import PlatformDecision
    from portal.models.oversight import DECISION_DONE, DECISION_OPEN

    done = (platform.merged_into_id is not None, platform.status == "retired")
    for row in db.session.scalars(select(PlatformDecision).where(PlatformDecision.platform_id == platform.id,
                                                                 PlatformDecision.status == DECISION_OPEN)):
        if (row.decision == "merge" and done[0]) or (row.decision == "retire" and (done[1] or done[0])):
            row.status, row.completed_at = DECISION_DONE, utcnow()
