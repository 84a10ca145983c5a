from types import SimpleNamespace

import pytest

from portal.editor.forms import MatterForm
from portal.editor.service import formdata_from_json
from portal.workflow import take_snapshot


@pytest.fixture
def team(make_department, make_matter, make_user):
    """Department A with its editor, reviewer and a matter; department B with its own editor."""
    home, other = make_department("甲局"), make_department("乙局")
    return SimpleNamespace(
        department=home, other=other,
        matter=make_matter(home, name="原名称"),
        foreign_matter=make_matter(other, name="乙局事项"),
        editor=make_user("editor", department=home),
        reviewer=make_user("reviewer", department=home),
        outsider=make_user("editor", department=other),
    )


@pytest.fixture
def matter_form_data():
    """The edit form as a browser would submit it for `matter`, with some fields changed."""

    def build(matter, lock_version=None, **changes):
        snapshot = {**take_snapshot(matter), **changes}
        snapshot.pop("code")
        data = formdata_from_json(MatterForm, snapshot)
        data["lock_version"] = str(lock_version or matter.lock_version)
        return data

    return build
