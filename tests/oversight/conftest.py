"""Platforms of two departments, matters on them, and people of each role."""

import pytest

from portal.extensions import db
from portal.models import Matter, Platform


@pytest.fixture
def registry(app, make_department, make_user):
    police = make_department("市公安局")
    health = make_department("市卫生健康委员会")
    gaj = Platform(code="gaj.example", name="公安办事系统", base_url="https://gaj.example", department=police)
    gaj_old = Platform(code="old-gaj.example", name="公安办事系统（旧）", base_url="http://old-gaj.example",
                       department=police)
    wjw = Platform(code="wjw.example", name="卫健办事系统", base_url="https://wjw.example", department=health,
                   sso_client_id="wjw")
    db.session.add_all([gaj, gaj_old, wjw])
    matters = [
        Matter(code="M-ID", name="居民身份证换领", department=police, status="published", platform=gaj,
               handling_url="https://gaj.example/apply/id"),
        Matter(code="M-HUKOU", name="户口迁移", department=police, status="published", platform=gaj_old,
               handling_url="http://old-gaj.example/apply/hukou"),
        Matter(code="M-BIRTH", name="出生医学证明", department=health, status="published", platform=wjw,
               handling_url="https://wjw.example/apply/birth", consult_phone="0546-1234567"),
    ]
    db.session.add_all(matters)
    db.session.commit()
    return {
        "police": police, "health": health, "gaj": gaj, "gaj_old": gaj_old, "wjw": wjw,
        "admin": make_user("admin"), "police_editor": make_user("editor", department=police),
        "health_editor": make_user("editor", department=health), "citizen": make_user("citizen"),
    }

