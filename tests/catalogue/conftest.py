"""A small published catalogue: two departments, a registered platform and a few matters."""

import pytest

from portal.extensions import db
from portal.models import Department, Matter, MatterMaterial, Platform


def make_sample_catalogue():
    health = Department(code="D-HEALTH", name="市卫生健康委员会", slug="wjw")
    police = Department(code="D-POLICE", name="市公安局", slug="gaj")
    platform = Platform(code="P-DEMO", name="演示部门办事平台", base_url="http://127.0.0.1:8001",
                        mobile_base_url="http://m.127.0.0.1.example", sso_client_id="dept-demo")
    birth = Matter(code="M-BIRTH", name="出生医学证明办理", short_name="办出生证", department=health,
                   matter_type="公共服务", level="市", audiences=["自然人"], themes=["生小孩"],
                   life_events=["出生一件事"], status="published", platform=platform,
                   handling_url="http://127.0.0.1:8001/apply/M-BIRTH",
                   mobile_handling_url="http://m.127.0.0.1.example/apply/M-BIRTH",
                   legal_time_limit_days=20, promised_time_limit_days=5, consult_phone="0546-12345",
                   materials=[MatterMaterial(name="出生医学证明首次签发登记表", position=0)])
    hukou = Matter(code="M-HUKOU", name="新生儿入户", department=police, matter_type="行政确认", level="县",
                   audiences=["自然人"], themes=["户籍办理", "生小孩"], life_events=["出生一件事"],
                   status="published")
    elsewhere = Matter(code="M-ELSEWHERE", name="外站办理事项", department=police, matter_type="行政许可",
                       level="市", audiences=["法人"], status="published", platform=platform,
                       handling_url="https://evil.example/apply")
    withdrawn = Matter(code="M-OLD", name="已撤回事项", department=police, status="withdrawn", platform=platform,
                       handling_url="http://127.0.0.1:8001/apply/M-OLD")
    db.session.add_all([health, police, platform, birth, hukou, elsewhere, withdrawn])
    db.session.commit()
    return {"birth": birth, "hukou": hukou, "elsewhere": elsewhere, "withdrawn": withdrawn,
            "health": health, "police": police, "platform": platform}


@pytest.fixture
def catalogue(app):
    return make_sample_catalogue()
