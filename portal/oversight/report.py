"""The 僵尸/影子 report: department systems to clean out (僵尸: idle, unreachable, replaceable) and to
merge (影子: duplicated functions), each with its evidence, a recommended action and the
administrators' decision.

Zombie evidence, per platform in use (not retired or merged):
  - no published matters;
  - no link-through in `idle_days` days — only once the platform has been registered that long,
    so a fresh registry is not called idle for want of history;
  - unreachable for `unreachable_days` days: every check since the first failure after the last
    success failed, and that first failure is at least that old;
  - not connected to single sign-on (supporting evidence: never a candidate on its own).
A platform is a candidate with at least one of the first three.

Shadow evidence, per pair of platforms in use:
  - matter overlap: Jaccard similarity of the sets of matter names (基本目录名称, else the name) of
    their published matters — the same catalogue items handled on two systems;
  - name similarity: Jaccard similarity of the character bigrams of the platform names;
  - the same host under another scheme or with/without www.
A pair is a candidate when it has the same host, or belongs to one department and its names or its
matters overlap (≥ `same_department_name` / `same_department_matters`), or belongs to different
departments whose matters overlap by ≥ `cross_department_matters` with at least `min_matters` each.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import combinations
from urllib.parse import urlsplit

from sqlalchemy import func, select

from portal.beijing_time import beijing_text
from portal.extensions import db
from portal.models import LinkThrough, Matter, Platform, PlatformCheck, PlatformDecision, utcnow
from portal.models.base import STATUS_PUBLISHED
from portal.models.oversight import DECISION_OPEN, FINDING_SHADOW, FINDING_ZOMBIE


@dataclass(frozen=True)
class Rules:
    idle_days: int = 90
    unreachable_days: int = 7
    same_department_name: float = 0.6
    same_department_matters: float = 0.3
    cross_department_matters: float = 0.5
    min_matters: int = 3


@dataclass
class Zombie:
    platform: Platform
    matters: int
    last_link_through: object
    unreachable_since: object
    evidence: list
    action: str
    decision: PlatformDecision | None = None


@dataclass
class Shadow:
    """A platform whose functions another platform of its group duplicates: merge it into `keep`."""

    group: int
    platform: Platform
    keep: Platform
    matter_similarity: float
    name_similarity: float
    shared_matters: int
    evidence: list
    action: str
    decision: PlatformDecision | None = None


@dataclass
class Report:
    generated_at: object
    rules: Rules
    platforms: int
    zombies: list = field(default_factory=list)
    shadows: list = field(default_factory=list)

    @property
    def summary(self):
        return {
            "platforms": self.platforms, "zombies": len(self.zombies), "shadows": len(self.shadows),
            "shadow_groups": len({s.group for s in self.shadows}),
            "decided": sum(1 for item in [*self.zombies, *self.shadows] if item.decision is not None),
        }


def bigrams(text):
    text = "".join((text or "").split())
    return {text[i:i + 2] for i in range(len(text) - 1)} or ({text} if text else set())


def jaccard(a, b):
    return len(a & b) / len(a | b) if a and b else 0.0


def host_key(url):
    host = (urlsplit(url or "").hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def _matter_names(ids):
    names = defaultdict(set)
    rows = db.session.execute(select(Matter.platform_id, Matter.base_name, Matter.name)
                              .where(Matter.platform_id.in_(ids), Matter.status == STATUS_PUBLISHED))
    for platform_id, base_name, name in rows:
        names[platform_id].add((base_name or name or "").strip())
    return names


def _last_link_throughs(ids):
    return dict(db.session.execute(select(LinkThrough.platform_id, func.max(LinkThrough.at))
                                   .where(LinkThrough.platform_id.in_(ids)).group_by(LinkThrough.platform_id)).all())


def _unreachable_since():
    """{platform id: first failed check after the last success} for platforms whose last check failed."""
    query = (select(PlatformCheck.platform_id, func.min(PlatformCheck.checked_at))
             .join(Platform, Platform.id == PlatformCheck.platform_id)
             .where(PlatformCheck.ok.is_(False), Platform.failed_checks > 0,
                    (Platform.last_ok_at.is_(None)) | (PlatformCheck.checked_at > Platform.last_ok_at))
             .group_by(PlatformCheck.platform_id))
    return dict(db.session.execute(query).all())


def _open_decisions(finding):
    rows = db.session.scalars(select(PlatformDecision).where(PlatformDecision.finding == finding)
                              .order_by(PlatformDecision.id))
    return {row.platform_id: row for row in rows}  # the latest per platform


def _zombie(platform, matters, last_click, since, rules, now):
    evidence, strong = [], set()
    if matters == 0:
        evidence.append("没有已发布的事项")
        strong.add("no_matters")
    if now - platform.created_at >= timedelta(days=rules.idle_days):
        if last_click is None or now - last_click >= timedelta(days=rules.idle_days):
            when = beijing_text(last_click)[:10] if last_click else "从未"
            evidence.append(f"{rules.idle_days} 天内没有办理跳转（最近一次：{when}）")
            strong.add("idle")
    if since is not None and now - since >= timedelta(days=rules.unreachable_days):
        evidence.append(f"已连续 {(now - since).days} 天无法访问（连续 {platform.failed_checks} 次检测失败）")
        strong.add("unreachable")
    if not strong:
        return None
    if not platform.sso_client_id:
        evidence.append("未对接统一身份认证")
    if "no_matters" in strong and len(strong) > 1:
        action = "建议限期下线：没有在办事项，也无人使用或无法访问。"
    elif "no_matters" in strong:
        action = "建议核实后下线，或并入承接其业务的平台。"
    elif "unreachable" in strong:
        action = "建议联系所属部门限期恢复服务；不能恢复的，将事项迁往可用平台后下线。"
    else:
        action = ("建议核实使用情况：确有业务的对接统一身份认证、纳入门户办理入口；"
                  "业务已由其他平台承接的并入后下线。")
    return Zombie(platform, matters, last_click, since, evidence, action)


def _rank(platform, counts):
    """Which of a group to keep: single sign-on first, then reachable, then more published matters, then older."""
    return (bool(platform.sso_client_id), platform.failed_checks == 0, counts.get(platform.id, 0), -platform.id)


def _pairs(platforms, names, counts, rules):
    """{(a id, b id): (matter similarity, name similarity, shared matters, evidence)} of the candidate pairs."""
    name_grams = {p.id: bigrams(p.name) for p in platforms}
    hosts = {p.id: host_key(p.base_url) for p in platforms}
    empty = frozenset()
    plain = [(p.id, p.department_id, hosts[p.id], names.get(p.id, empty)) for p in platforms]  # no ORM in the loop
    found = {}
    for (a, a_department, a_host, a_names), (b, b_department, b_host, b_names) in combinations(plain, 2):
        same_department = a_department is not None and a_department == b_department
        same_host = a_host == b_host and a_host != ""
        shared = len(a_names & b_names) if a_names and b_names else 0
        if not (same_department or same_host or shared):
            continue
        matter_similarity = jaccard(a_names, b_names)
        name_similarity = jaccard(name_grams[a], name_grams[b])
        same_department_match = same_department and (name_similarity >= rules.same_department_name
                                                     or matter_similarity >= rules.same_department_matters)
        cross_department_match = (not same_department and matter_similarity >= rules.cross_department_matters
                                  and min(counts.get(a, 0), counts.get(b, 0)) >= rules.min_matters)
        if not (same_host or same_department_match or cross_department_match):
            continue
        evidence = []
        if same_host:
            evidence.append("同一主机的不同地址（http/https 或 www）")
        if same_department:
            evidence.append("同一部门的平台")
        if shared:
            evidence.append(f"事项重合 {shared} 项（相似度 {matter_similarity:.2f}）")
        if name_similarity >= rules.same_department_name:
            evidence.append(f"名称相似（相似度 {name_similarity:.2f}）")
        found[(a, b)] = (matter_similarity, name_similarity, shared, evidence)
    return found


def _shadows(platforms, names, counts, matter_counts, rules):
    """Candidate pairs joined into groups (connected components); in each group the best-ranked
    platform is kept and every other one is a shadow of it, with the evidence of its closest link."""
    pairs = _pairs(platforms, names, counts, rules)
    parent = {}

    def root(pid):
        while parent.get(pid, pid) != pid:
            pid = parent[pid]
        return pid

    for a, b in pairs:
        parent[root(a)] = root(b)
    by_id = {p.id: p for p in platforms}
    groups = defaultdict(list)
    for pid in {pid for pair in pairs for pid in pair}:
        groups[root(pid)].append(by_id[pid])
    shadows = []
    ordered = sorted(groups.values(), key=lambda members: (-len(members), min(p.name for p in members)))
    for number, members in enumerate(ordered, start=1):
        keep = max(members, key=lambda p: _rank(p, matter_counts))
        for platform in sorted(members, key=lambda p: (p.name, p.code)):
            if platform is keep:
                continue
            links = [(value, other) for (a, b), value in pairs.items() for other in (a, b)
                     if platform.id in (a, b) and other != platform.id]
            (matter_similarity, name_similarity, shared, evidence), closest = max(
                links, key=lambda link: (link[1] == keep.id, link[0][0] + link[0][1]))
            if closest != keep.id:
                evidence = [*evidence, f"与同组的“{by_id[closest].name}”（{by_id[closest].code}）相关联"]
            action = f"建议并入“{keep.name}”（{keep.code}），事项随之迁移，原地址仍可跳转。"
            shadows.append(Shadow(number, platform, keep, round(matter_similarity, 3), round(name_similarity, 3),
                                  shared, evidence, action))
    return shadows


def build(rules=None, now=None):
    rules = rules or Rules()
    now = now or utcnow()
    platforms = list(db.session.scalars(select(Platform).where(Platform.merged_into_id.is_(None),
                                                               Platform.status != "retired")
                                        .order_by(Platform.id)))
    ids = [p.id for p in platforms]
    names = _matter_names(ids)
    counts = {pid: len(values) for pid, values in names.items()}
    matter_counts = dict(db.session.execute(
        select(Matter.platform_id, func.count()).where(Matter.platform_id.in_(ids), Matter.status == STATUS_PUBLISHED)
        .group_by(Matter.platform_id)).all())
    clicks, since = _last_link_throughs(ids), _unreachable_since()
    report = Report(generated_at=now, rules=rules, platforms=len(platforms))

    zombie_decisions = _open_decisions(FINDING_ZOMBIE)
    for platform in platforms:
        zombie = _zombie(platform, matter_counts.get(platform.id, 0), clicks.get(platform.id),
                         since.get(platform.id), rules, now)
        if zombie:
            zombie.decision = zombie_decisions.get(platform.id)
            report.zombies.append(zombie)

    report.shadows = _shadows(platforms, names, counts, matter_counts, rules)
    shadow_decisions = _open_decisions(FINDING_SHADOW)
    for shadow in report.shadows:
        shadow.decision = shadow_decisions.get(shadow.platform.id)
    report.zombies.sort(key=lambda z: (-len(z.evidence), z.platform.name, z.platform.code))
    return report


def decision_progress(decision, today):
    """'done' | 'overdue' | 'open' for a decision, from the platform's state now."""
    if decision is None:
        return None
    if decision.status != DECISION_OPEN:
        return "done"
    platform = decision.platform
    if decision.decision == "merge" and platform.merged_into_id is not None:
        return "done"
    if decision.decision == "retire":
        if platform.status == "retired":
            return "done"
        if decision.retire_by and decision.retire_by < today:
            return "overdue"
    return "open"


PROGRESS_LABELS = {"done": "已完成", "overdue": "已逾期", "open": "进行中"}
DECISION_LABELS = {"keep": "保留", "merge": "并入", "retire": "限期下线"}
ZOMBIE_HEADER = ["平台编码", "平台名称", "所属部门", "访问地址", "在办事项", "最近办理跳转", "证据", "建议", "决定",
                 "决定进度"]
SHADOW_HEADER = ["组", "平台编码", "平台名称", "所属部门", "访问地址", "建议保留的平台", "事项相似度", "名称相似度",
                 "重合事项", "证据", "建议", "决定", "决定进度"]


def decision_text(decision):
    if decision is None:
        return ""
    text = DECISION_LABELS.get(decision.decision, decision.decision)
    if decision.decision == "merge" and decision.merge_into:
        text += f" {decision.merge_into.name}（{decision.merge_into.code}）"
    if decision.decision == "retire" and decision.retire_by:
        text += f"（{decision.retire_by.isoformat()} 前）"
    return text


def _department(platform):
    return platform.department.name if platform.department else "多部门共用"


def zombie_rows(report, today):
    yield ZOMBIE_HEADER
    for item in report.zombies:
        p = item.platform
        yield [p.code, p.name, _department(p), p.base_url, item.matters, beijing_text(item.last_link_through),
               "；".join(item.evidence), item.action, decision_text(item.decision),
               PROGRESS_LABELS.get(decision_progress(item.decision, today), "")]


def shadow_rows(report, today):
    yield SHADOW_HEADER
    for item in report.shadows:
        p = item.platform
        yield [item.group, p.code, p.name, _department(p), p.base_url, f"{item.keep.name}（{item.keep.code}）",
               item.matter_similarity, item.name_similarity, item.shared_matters, "；".join(item.evidence),
               item.action, decision_text(item.decision),
               PROGRESS_LABELS.get(decision_progress(item.decision, today), "")]


def as_json(report, today):
    def decision(item):
        if item.decision is None:
            return None
        return {"decision": item.decision.decision, "text": decision_text(item.decision),
                "progress": decision_progress(item.decision, today)}

    return {
        "generated_at": beijing_text(report.generated_at, with_seconds=True) + " (Beijing)",
        "rules": report.rules.__dict__, "summary": report.summary,
        "zombies": [{"code": z.platform.code, "name": z.platform.name, "department": _department(z.platform),
                     "base_url": z.platform.base_url, "published_matters": z.matters,
                     "sso_connected": bool(z.platform.sso_client_id), "evidence": z.evidence, "action": z.action,
                     "decision": decision(z)} for z in report.zombies],
        "shadows": [{"group": s.group, "code": s.platform.code, "name": s.platform.name,
                     "department": _department(s.platform), "base_url": s.platform.base_url,
                     "keep": s.keep.code, "matter_similarity": s.matter_similarity,
                     "name_similarity": s.name_similarity, "shared_matters": s.shared_matters,
                     "evidence": s.evidence, "action": s.action, "decision": decision(s)} for s in report.shadows],
    }


def combined_csv_rows(report, today):
    """One table for `--format csv` and /admin/platforms/report.csv: a 类型 column, then each kind's columns."""
    header = ["类型", "组", "平台编码", "平台名称", "所属部门", "访问地址", "建议保留的平台", "证据", "建议", "决定",
              "决定进度"]
    yield header
    for row in list(zombie_rows(report, today))[1:]:
        yield ["僵尸", "", row[0], row[1], row[2], row[3], "", row[6], row[7], row[8], row[9]]
    for row in list(shadow_rows(report, today))[1:]:
        yield ["影子", row[0], row[1], row[2], row[3], row[4], row[5], row[9], row[10], row[11], row[12]]
