"""The real 12345 data (../shared/data/hotline) as the imports read it: `flask knowledge import` (answers)
and `flask interaction import` (messages) share the reading, validation, masking, chunked storing and the
command's progress bar; each area only says what one row becomes.

Rows that cannot be used are reported with their line number and the reason — never with their content,
which may hold personal data. Rows already imported (same source id, `hotline:<id>`) are left alone, so a
second run adds nothing. Board times are Beijing time, stored as naive UTC.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import click
from flask import current_app
from flask_babel import gettext as _

from portal.extensions import db
from portal.knowledge.masking import mask_personal_data
from portal.models import Department

DATA_FILE = "hotline_qa.jsonl"
TAXONOMY_FILE = "category_taxonomy.jsonl"
SOURCE_PREFIX = "hotline:"
HOTLINE_DEPARTMENT = {"code": "HOTLINE-12345", "name": "12345政务服务便民热线", "slug": "hotline-12345"}
MAX_TEXT_CHARS = 20_000
REQUIRED_FIELDS = ("id", "title", "question", "answer")
CHUNK = 500
GENERIC_CATEGORIES = frozenset({"其他", "其它", "综合"})
BEIJING = timedelta(hours=8)
TIME_FORMATS = ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M",
                "%Y-%m-%d")


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


def parse_time(value):
    """A board timestamp (Beijing time) as naive UTC, or None when it cannot be read (never guessed)."""
    text = str(value or "").strip()
    for layout in TIME_FORMATS:
        try:
            return datetime.strptime(text, layout) - BEIJING
        except ValueError:
            continue
    return None


def source_ref(row):
    return f"{SOURCE_PREFIX}{row['id']}"


def masked_texts(row):
    """(title, question, answer) of a data row with personal data masked."""
    return (mask_personal_data(str(row["title"]).strip()),
            mask_personal_data(str(row["question"]).strip()),
            mask_personal_data(str(row["answer"]).strip()))


def _problem(row):
    if not isinstance(row, dict):
        return _("不是一个 JSON 对象")
    missing = [name for name in REQUIRED_FIELDS if not str(row.get(name) or "").strip()]
    if missing:
        return _("缺少字段：%(fields)s", fields="、".join(missing))
    if any(len(str(row[name])) > MAX_TEXT_CHARS for name in REQUIRED_FIELDS):
        return _("内容超过 %(limit)s 字", limit=MAX_TEXT_CHARS)
    return None


def parsed_rows(path, report):
    """The usable rows of a JSON Lines file; the others go to `report.rejected` by line and reason."""
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


def source_rows(data_dir):
    """{source ref: row} of the data in `data_dir` for re-masking, or {} when there is none."""
    path = Path(data_dir) / DATA_FILE if data_dir is not None else None
    if path is None or not path.exists():
        return {}
    return {source_ref(row): row for row in parsed_rows(path, ImportReport())}


def hotline_department():
    department = db.session.scalar(db.select(Department).where(Department.code == HOTLINE_DEPARTMENT["code"]))
    if department is None:
        department = Department(**HOTLINE_DEPARTMENT)
        db.session.add(department)
        db.session.flush()
    return department


def import_rows(data_dir, existing, build, after_flush, progress=None, on_existing=None):
    """Every row of the data whose source ref is not in `existing` becomes `build(row, taxonomy, department)`;
    records are stored CHUNK at a time, `after_flush(record)` writing each one's audit or outbox row in the
    same transaction. `on_existing(ref, row)` sees the rows already there. Returns the ImportReport."""
    data_dir = Path(data_dir)
    taxonomy = load_taxonomy(data_dir / TAXONOMY_FILE)
    report = ImportReport()
    department = hotline_department()
    pending = []

    def store():
        if not pending:
            return
        db.session.add_all(pending)
        db.session.flush()
        for record in pending:
            after_flush(record)
        db.session.commit()
        report.imported += len(pending)
        if progress:
            progress(len(pending))
        pending.clear()

    for row in parsed_rows(data_dir / DATA_FILE, report):
        ref = source_ref(row)
        if ref in existing:
            report.already_there += 1
            if on_existing is not None:
                on_existing(ref, row)
            continue
        pending.append(build(row, taxonomy, department))
        if len(pending) >= CHUNK:
            store()
    store()
    db.session.commit()
    return report


def data_dir_option(help_text, exists=False):
    """The commands' --data-dir option (default: ../shared/data/hotline, see `default_data_dir`)."""
    return click.option("--data-dir", type=click.Path(exists=exists, file_okay=False, path_type=Path), help=help_text)


def default_data_dir(data_dir):
    return data_dir or current_app.config["SHARED_DATA_DIR"] / "hotline"


def run_import_command(data_dir, importer, label):
    """The body of an import command: a progress bar over the data's lines, then the report."""
    data_dir = default_data_dir(data_dir)
    if not (data_dir / DATA_FILE).is_file():
        raise click.ClickException(f"{data_dir / DATA_FILE} not found")
    rows = sum(1 for _line in (data_dir / DATA_FILE).open(encoding="utf-8"))
    with click.progressbar(length=rows, label=label, show_pos=True) as bar:
        report = importer(data_dir, progress=bar.update)
    for line in report.lines():
        click.echo(line)
