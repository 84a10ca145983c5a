"""`make run` hands the demo staff's department's 在线办理 to the demo department platform by default
(`flask seed --demo-department`), says so on those guide pages, and keeps every other matter real."""

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Department, Matter
from portal.seed.importer import DEMO_PLATFORM_CODE, DemoPlatform, seed

pytestmark = pytest.mark.integration
DEMO_STAFF_DEPARTMENT = "440000-6bfa7941"  # the Makefile's default: 广东省人力资源和社会保障厅


def test_the_demo_staff_departments_matters_go_to_the_demo_platform_and_say_so(app, client):
    demo = DemoPlatform.parse(None, "http://127.0.0.1:8001", DEMO_STAFF_DEPARTMENT)
    report = seed(app.config["SHARED_DATA_DIR"], demo=demo)
    department = db.session.scalar(select(Department).where(Department.code == DEMO_STAFF_DEPARTMENT))
    theirs = db.session.scalar(select(func.count()).select_from(Matter).where(Matter.department_id == department.id))
    assert report.demo_matters == theirs > 0
    pointed = db.session.scalars(select(Matter).join(Matter.platform)
                                 .where(Matter.platform.has(code=DEMO_PLATFORM_CODE))).all()
    assert {matter.department_id for matter in pointed} == {department.id}
    assert pointed[0].platform.department_id == department.id and pointed[0].platform.sso_client_id == "dept-demo"
    other = db.session.scalar(select(Matter).where(Matter.department_id != department.id,
                                                   Matter.handling_url.is_not(None)).limit(1))
    assert other.handling_url == other.source_handling_url

    matter = pointed[0]
    page = client.get(f"/matters/{matter.code}").get_data(as_text=True)
    assert "演示环境：本事项的在线办理指向本机的演示部门平台" in page
    assert matter.source_handling_url in page
    assert "演示环境：" not in client.get(f"/matters/{other.code}").get_data(as_text=True)
