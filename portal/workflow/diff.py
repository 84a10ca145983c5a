"""Field-level comparison of two versions of a record, laid out for a side-by-side view."""

from dataclasses import dataclass

from flask_babel import gettext as _


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: list  # display lines, one per value or per row of a child list
    after: list

    @property
    def changed(self):
        return self.before != self.after


def _lines(value):
    if value is None or value == "" or value == []:
        return []
    if isinstance(value, list):
        return [_row_text(item) for item in value]
    if isinstance(value, bool):
        return [_("是") if value else _("否")]
    return [str(value)]


def _row_text(item):
    if isinstance(item, dict):
        return " · ".join(str(value) for value in item.values() if value not in (None, ""))
    return str(item)


def compare(old_snapshot, new_snapshot):
    """One FieldChange per field found in either snapshot, in the newer snapshot's order."""
    fields = list(new_snapshot) + [name for name in old_snapshot if name not in new_snapshot]
    return [FieldChange(name, _lines(old_snapshot.get(name)), _lines(new_snapshot.get(name))) for name in fields]
