import uuid

import pytest

from portal.extensions import db
from portal.models import MatterFee, MatterStep, Platform, Rating, User


@pytest.fixture
def sample(app, make_department, make_matter, make_answer):
    """Two departments, a platform, two published matters (one with steps and fees), a draft, a
    withdrawn matter and a published and a draft answer."""
    tax = make_department("税务局", level="市", phone="12366")
    social = make_department("人社局")
    platform = Platform(code="P-TAX", name="电子税务局", base_url="https://etax.example.gov.cn", department=tax,
                        sso_client_id="etax-secret-client")
    db.session.add(platform)
    db.session.commit()
    invoice = make_matter(tax, code="M-OPEN-1", name="发票领用", status="published", matter_type="行政确认",
                          platform=platform, handling_url="https://etax.example.gov.cn/apply/1",
                          aliases=["领发票"], promised_time_limit_days=1,
                          steps=[MatterStep(name="申请", position=0), MatterStep(name="审核", position=1)],
                          fees=[MatterFee(item="工本费", standard="不收费", position=0)])
    pension = make_matter(social, code="M-OPEN-2", name="养老保险关系转移", status="published", matter_type="公共服务")
    draft = make_matter(social, code="M-OPEN-DRAFT", name="草稿事项", status="draft")
    withdrawn = make_matter(social, code="M-OPEN-GONE", name="已撤回事项", status="withdrawn")
    answer = make_answer(tax, question="发票怎么领？", public_answer="<p>在电子税务局申请。</p>", matters=[invoice],
                         internal_note="内部备注不得公开", category="税务")
    hidden = make_answer(tax, question="草稿问答", status="draft")
    return {"tax": tax, "social": social, "platform": platform, "invoice": invoice, "pension": pension,
            "draft": draft, "withdrawn": withdrawn, "answer": answer, "hidden_answer": hidden}


@pytest.fixture
def rate(app):
    def rate(matter, level, at, counted=True):
        user = User(subject=uuid.uuid4().hex, username=f"rater-{uuid.uuid4().hex[:6]}",
                    roles=["citizen"])
        db.session.add(user)
        db.session.flush()
        db.session.add(Rating(matter_id=matter.id, user_id=user.id, level=level, created_at=at, counted=counted))
        db.session.commit()
    return rate
