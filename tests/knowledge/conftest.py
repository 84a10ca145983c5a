from types import SimpleNamespace

import pytest


@pytest.fixture
def kb(make_department, make_matter, make_answer, make_user):
    """Department A with a published matter, an answer linked to it and its staff; department B's editor."""
    home, other = make_department("市人力资源和社会保障局"), make_department("市住房和城乡建设局")
    matter = make_matter(home, name="失业登记", status="published", promised_time_limit_days=5,
                         location="市民之家二楼 12 号窗口", consult_phone="0731-12345678",
                         handling_url="http://127.0.0.1:8001/apply/unemployment")
    answer = make_answer(home, "失业了怎么领失业金", "<p>携带身份证到社保窗口办理失业登记后申领。</p>",
                         matters=[matter], phrasings=["失业金怎么领"], internal_note="先确认是否已办理离职手续")
    return SimpleNamespace(
        department=home, other=other, matter=matter, answer=answer,
        editor=make_user("editor", department=home), reviewer=make_user("reviewer", department=home),
        outsider=make_user("editor", department=other), operator=make_user("operator"),
    )
