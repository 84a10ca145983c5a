import pytest

from portal.extensions import db
from portal.models import Department, Matter, MatterMaterial


@pytest.fixture
def departments(app):
    first = Department(code="D-WF-A", name="甲局", slug="wf-a")
    second = Department(code="D-WF-B", name="乙局", slug="wf-b")
    db.session.add_all([first, second])
    db.session.commit()
    return first, second


@pytest.fixture
def matter(departments):
    """A matter as the importer leaves it: lock_version 1, no version rows yet."""
    matter = Matter(code="M-WF-1", name="原名称", department=departments[0], conditions="原条件",
                    materials=[MatterMaterial(name="身份证", requirement="必要", copies=1, position=0)])
    db.session.add(matter)
    db.session.commit()
    return matter


@pytest.fixture
def editor(make_user, departments):
    return make_user("editor", department=departments[0])


@pytest.fixture
def reviewer(make_user, departments):
    return make_user("reviewer", department=departments[0])
