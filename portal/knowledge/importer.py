"""Import of the real 12345 hotline Q&A (../shared/data/hotline) as knowledge items.

Every text is masked (portal/knowledge/masking.py) before it is stored. Each imported reply
becomes internal knowledge of the hotline's own department: published for operators (the console
finds it) but not public (`public` false, so not in the public FAQ) until an editor curates it;
dated by the department's real reply time. Rows already imported (same source id) are left alone,
so a second run adds nothing. Rows that cannot be used are reported with their line number and the reason — never
with their content, which may hold personal data.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from flask_babel import gettext as _
from markupsafe import escape

from portal import audit, outbox
from portal.extensions import db
from portal.knowledge.masking import mask_personal_data
from portal.models import Answer, Department
from portal.models.base import STATUS_PUBLISHED, utcnow

HOTLINE_DEPARTMENT = {"code": "HOTLINE-12345", "name": "12345政务服务便民热线", "slug": "hotline-12345"}
MAX_TEXT_CHARS = 20_000
REQUIRED_FIELDS = ("id", "title", "question", "answer")
CHUNK = 500
GENERIC_CATEGORIES = frozenset({"其他", "其它", "综合"})


@dataclass
class Rejected:
    line: int
    reason: str


@dataclass
class ImportReport:
    read: int = 0
    imported: int = 0
    already_there: int = 0
    rejected: list = field(default_factory=list)

    def lines(self):
        yield _("读取 %(read)s 行，新导入 %(imported)s 条，已存在 %(existing)s 条，拒绝 %(rejected)s 行",
                read=self.read, imported=self.imported, existing=self.already_there, rejected=len(self.rejected))
        for row in self.rejected:
            yield _("第 %(line)s 行：%(reason)s", line=row.line, reason=row.reason)


def load_taxonomy(path):
    """[(一级, 二级, 三级)] of the category tree, in file order."""
    rows = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            rows.append((item["一级分类"], item["二级分类"], item["三级分类"]))
    return rows


def categorise(text, taxonomy):
    """'一级/二级/三级' of the most specific category named in the text, or None."""
    for level in (2, 1):
        for path in taxonomy:
            if len(path[level]) >= 2 and path[level] not in GENERIC_CATEGORIES and path[level] in text:
                return "/".join(path[:level + 1])
    return None


def _problem(row):
    if not isinstance(row, dict):
        return _("不是一个 JSON 对象")
    missing = [name for name in REQUIRED_FIELDS if not str(row.get(name) or "").strip()]
    if missing:
        return _("缺少字段：%(fields)s", fields="、".join(missing))
    if any(len(str(row[name])) > MAX_TEXT_CHARS for name in REQUIRED_FIELDS):
        return _("内容超过 %(limit)s 字", limit=MAX_TEXT_CHARS)
    return None


def _parsed_rows(path, report):
    seen = set()
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        report.read += 1
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            report.rejected.append(Rejected(number, _("不是有效的 JSON")))
            continue
        problem = _problem(row)
        if problem is None and str(row["id"]) in seen:
            problem = _("来源编号 %(id)s 重复", id=row["id"])
        if problem:
            report.rejected.append(Rejected(number, problem))
            continue
        seen.add(str(row["id"]))
        yield row


def hotline_department():
    department = db.session.scalar(db.select(Department).where(Department.code == HOTLINE_DEPARTMENT["code"]))
    if department is None:
        department = Department(**HOTLINE_DEPARTMENT)
        db.session.add(department)
        db.session.flush()
    return department


def paragraphs(text):
    """Plain text as the rich-text HTML answers are stored in: one escaped <p> per line."""
    return "".join(f"<p>{escape(line.strip())}</p>" for line in text.splitlines() if line.strip())


BEIJING = timedelta(hours=8)


def reply_time(row):
    """The department's reply time of a row (Beijing time in the data) as naive UTC, or None."""
    text = str(row.get("answer_time") or "").strip()
    for pattern in ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern) - BEIJING
        except ValueError:
            continue
    return None


def masked_content(row, taxonomy):
    """The answer's texts from a data row, masked (shared by the import and `knowledge remask`)."""
    title = mask_personal_data(str(row["title"]).strip())
    question = mask_personal_data(str(row["question"]).strip())
    return {
        "question": title,
        "phrasings": [title],
        "public_answer": paragraphs(mask_personal_data(str(row["answer"]).strip())),
        "internal_note": _("来信原文（已脱敏）：") + question,
        "category": categorise(f"{title} {question}", taxonomy),
    }


def answer_from_row(row, taxonomy, department):
    replied = reply_time(row)
    return Answer(
        source_ref=f"hotline:{row['id']}",
        **masked_content(row, taxonomy),
        department_id=department.id,
        status=STATUS_PUBLISHED,
        public=False,
        replied_at=replied,
        published_at=replied or utcnow(),
        lock_version=1,
    )


def import_hotline(data_dir, progress=None):
    """Import hotline_qa.jsonl (categories from category_taxonomy.jsonl); returns an ImportReport."""
    data_dir = Path(data_dir)
    taxonomy = load_taxonomy(data_dir / "category_taxonomy.jsonl")
    report = ImportReport()
    department = hotline_department()
    existing = set(db.session.scalars(db.select(Answer.source_ref).where(Answer.source_ref.like("hotline:%"))))
    # Rows imported before the reply time was kept get it now (the date the public FAQ shows).
    undated = set(db.session.scalars(db.select(Answer.source_ref).where(
        Answer.source_ref.like("hotline:%"), Answer.replied_at.is_(None))))
    pending = []
    for row in _parsed_rows(data_dir / "hotline_qa.jsonl", report):
        if f"hotline:{row['id']}" in existing:
            report.already_there += 1
            if f"hotline:{row['id']}" in undated and (replied := reply_time(row)):
                db.session.execute(db.update(Answer).where(Answer.source_ref == f"hotline:{row['id']}")
                                   .values(replied_at=replied))
            continue
        pending.append(answer_from_row(row, taxonomy, department))
        if len(pending) >= CHUNK:
            _store(pending, report, progress)
    _store(pending, report, progress)
    db.session.commit()
    return report


def _store(answers, report, progress):
    """One chunk: the answers, their audit rows and their index changes, committed together."""
    if not answers:
        return
    db.session.add_all(answers)
    db.session.flush()
    for answer in answers:
        audit.record(None, "import", "answer", answer.id, after={"source_ref": answer.source_ref})
        outbox.enqueue("answer", answer.id, "upsert", answer.lock_version)
    db.session.commit()
    report.imported += len(answers)
    if progress:
        progress(len(answers))
    answers.clear()
