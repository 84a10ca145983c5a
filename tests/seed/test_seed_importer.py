"""`flask seed` on the real data and on malformed files, against the real database."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Department, Matter, MatterMaterial, MatterVersion, Platform, SearchOutbox
from portal.seed.importer import DEMO_PLATFORM_CODE, DemoPlatform, seed
from portal.seed.records import SOURCES
from tests.seed.test_seed_records import GOOD_GUANGAN, GOOD_GUANGDONG

GUANGDONG_FILE, GUANGAN_FILE = (relative for relative, _ in SOURCES)


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.integration
def test_the_real_data_imports_once_and_a_rerun_changes_nothing(app, make_user):
    report = seed(app.config["SHARED_DATA_DIR"])
    assert report.rejections == []
    assert (report.matters_inserted, _count(Matter)) == (3397, 3397)
    assert report.departments_total == _count(Department) == 211
    assert report.platforms_total == _count(Platform)
    assert report.outbox_rows == _count(SearchOutbox) == 3397
    matter = db.session.scalar(select(Matter).where(Matter.code == "11440000006939756B2440101007000"))
    assert matter.status == "published" and matter.platform.base_url == "https://www.gdzwfw.gov.cn"
    sichuan = db.session.scalar(select(Platform).where(Platform.code == "www.sczwfw.gov.cn"))
    assert sichuan.name == "四川政务服务网" and sichuan.department_id is None  # shared by 34 departments
    assert matter.handling_url == matter.source_handling_url and matter.legal_time_limit_days == 30
    assert all(department.slug.isascii() for department in db.session.scalars(select(Department)))

    # What administrators change afterwards (a site's address, a platform's name) is theirs to keep.
    matter.department.slug = "fgw"
    matter.platform.name = "广东政务服务网（统一申办）"
    db.session.commit()
    again = seed(app.config["SHARED_DATA_DIR"])
    assert (matter.department.slug, matter.platform.name) == ("fgw", "广东政务服务网（统一申办）")
    assert (again.matters_unchanged, again.matters_updated, again.outbox_rows) == (3397, 0, 0)
    assert _count(SearchOutbox) == 3397

    demo = DemoPlatform.parse(f"{matter.code},NO-SUCH-CODE", "http://127.0.0.1:8001")
    pointed = seed(app.config["SHARED_DATA_DIR"], demo=demo)
    assert (pointed.matters_updated, pointed.demo_matters) == (1, 1)
    assert pointed.warnings == ["--demo-platform：数据中没有事项 NO-SUCH-CODE"]
    db.session.refresh(matter)
    assert matter.handling_url == f"http://127.0.0.1:8001/apply/{matter.code}"
    assert matter.platform.code == DEMO_PLATFORM_CODE and matter.platform.sso_client_id == "dept-demo"
    assert matter.source_handling_url.startswith("https://www.gdzwfw.gov.cn/") and matter.lock_version == 2

    # An editor's saved change is theirs: the seed neither overwrites it nor counts it as changed.
    edited = db.session.scalar(select(Matter).where(Matter.code != matter.code).limit(1))
    editor = make_user("editor", department=edited.department)
    edited.name = "编辑改过的名称"
    edited.lock_version += 1
    db.session.add(MatterVersion(matter_id=edited.id, version=edited.lock_version, status="published",
                                 snapshot={}, author_id=editor.id))
    db.session.commit()

    restored = seed(app.config["SHARED_DATA_DIR"])
    assert (restored.matters_updated, restored.matters_kept, restored.matters_unchanged) == (1, 1, 3395)
    db.session.refresh(matter)
    db.session.refresh(edited)
    assert matter.handling_url == matter.source_handling_url
    assert edited.name == "编辑改过的名称"


@pytest.mark.integration
def test_the_cli_shows_progress_and_the_report(app, tmp_path):
    (tmp_path / "matters-guangdong").mkdir()
    (tmp_path / "matters-guangan").mkdir()
    (tmp_path / GUANGDONG_FILE).write_text(json.dumps(GOOD_GUANGDONG) + "\n{not json\n", encoding="utf-8")
    (tmp_path / GUANGAN_FILE).write_text(json.dumps({**GOOD_GUANGAN, "task_type": "猜测"}) + "\n", encoding="utf-8")
    report_file = tmp_path / "rejected.tsv"
    result = app.test_cli_runner().invoke(args=["seed", "--data-dir", str(tmp_path), "--report", str(report_file)])
    assert result.exit_code == 0, result.output
    assert "导入事项" in result.output and "事项 1：新增 1" in result.output
    assert "第 2 行（无编码）：不是有效的 JSON" in result.output
    assert "未知的事项类型“猜测”" in result.output
    assert len(report_file.read_text(encoding="utf-8").splitlines()) == 2


LINE = st.one_of(
    st.just("good"), st.just("not json"), st.just("array"),
    st.sampled_from(["task_code", "name", "department", "url", "type", "materials", "visits_required"]),
)
BAD_VALUES = {"task_code": "x y", "name": None, "department": ["局"], "url": "ftp://x", "type": "审批",
              "materials": [1], "visits_required": -1}


def _line(kind, number):
    record = {**GOOD_GUANGDONG, "task_code": f"T{number:05d}", "materials": [f"材料{number}"]}
    if kind == "good":
        return json.dumps(record, ensure_ascii=False)
    if kind == "not json":
        return '{"task_code": "T'
    if kind == "array":
        return "[1, 2]"
    return json.dumps({**record, kind: BAD_VALUES[kind]}, ensure_ascii=False)


@pytest.mark.integration
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kinds=st.lists(LINE, min_size=1, max_size=12))
def test_every_bad_record_is_reported_and_no_record_is_half_imported(app, tmp_path_factory, kinds):
    data_dir = tmp_path_factory.mktemp("data")
    (data_dir / "matters-guangdong").mkdir()
    (data_dir / "matters-guangan").mkdir()
    (data_dir / GUANGDONG_FILE).write_text("\n".join(_line(kind, n) for n, kind in enumerate(kinds)) + "\n")
    (data_dir / GUANGAN_FILE).write_text("")
    # Hypothesis runs many examples inside one test: start each from no imported matters.
    for matter in db.session.scalars(select(Matter)):
        db.session.delete(matter)
    db.session.commit()

    report = seed(data_dir)

    good = [f"T{n:05d}" for n, kind in enumerate(kinds) if kind == "good"]
    bad_lines = sorted(n + 1 for n, kind in enumerate(kinds) if kind != "good")
    assert sorted(rejection.line for rejection in report.rejections) == bad_lines
    assert all(rejection.reason for rejection in report.rejections)
    stored = set(db.session.scalars(select(Matter.code).where(Matter.code.like("T%"))))
    assert stored == set(good)
    for code in good:  # whole: with its material
        matter = db.session.scalar(select(Matter).where(Matter.code == code))
        assert [material.name for material in matter.materials] == [f"材料{int(code[1:])}"]
    assert _count(MatterMaterial) >= len(good)

