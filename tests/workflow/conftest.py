import pytest


@pytest.fixture
def departments(make_department):
    return make_department("甲局"), make_department("乙局")


@pytest.fixture
def matter(departments, make_matter):
    return make_matter(departments[0], code="M-WF-1", name="原名称", conditions="原条件")


@pytest.fixture
def editor(make_user, departments):
    return make_user("editor", department=departments[0])


@pytest.fixture
def reviewer(make_user, departments):
    return make_user("reviewer", department=departments[0])
