"""Form field types the editorial forms share: lists of lines, yes/no/unknown, optional choices,
and the editable child lists with their no-JavaScript add/remove/move buttons."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SelectMultipleField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget


def strip_or_none(value):
    if isinstance(value, str):
        value = value.strip()
    return value if value not in ("", None) else None


class LinesField(TextAreaField):
    """A list of strings edited as one line each."""

    def process_formdata(self, valuelist):
        text = valuelist[0] if valuelist else ""
        self.data = [line.strip() for line in text.splitlines() if line.strip()]

    def process_data(self, value):
        self.data = list(value or [])

    def _value(self):
        return "\n".join(self.data or [])


class YesNoField(SelectField):
    """True / False / None (the source does not say)."""

    def __init__(self, label=None, validators=None, **kwargs):
        choices = [SelectChoice("", _l("未说明")), SelectChoice("yes", _l("是")), SelectChoice("no", _l("否"))]
        super().__init__(label, validators, choices=choices, coerce=_yes_no, **kwargs)


def _yes_no(value):
    if isinstance(value, bool) or value is None:
        return value
    return {"yes": True, "no": False}.get(value)


class OptionalSelectField(SelectField):
    """A choice from a fixed list, or nothing (shown as 请选择)."""

    def __init__(self, label=None, validators=None, options=(), **kwargs):
        choices = [SelectChoice("", _l("请选择"))] + [SelectChoice(option) for option in options]
        super().__init__(label, validators, choices=choices, coerce=lambda value: value or None, **kwargs)

    def process_data(self, value):
        super().process_data(value)
        # Imported data may hold a value outside the list; keep it choosable rather than refuse the save.
        if self.data is not None and self.data not in [choice.value for choice in self.choices]:
            self.choices = [*self.choices, SelectChoice(self.data)]


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def process_data(self, value):
        self.data = list(value or [])


def apply_list_action(data, action, list_names):
    """Change form data for a list button: "<list>:add", "<list>:remove:<i>", "<list>:up:<i>",
    "<list>:down:<i>". Returns (list name, index of the row to focus or None) when the action
    was one of ours, else None."""
    name, _, rest = (action or "").partition(":")
    if name not in list_names or not isinstance(data.get(name), list):
        return None
    rows = data[name]
    verb, _, index_text = rest.partition(":")
    index = int(index_text) if index_text.isdigit() else -1
    if verb == "add":
        rows.append({})
        return name, len(rows) - 1
    if verb == "remove" and 0 <= index < len(rows):
        rows.pop(index)
        return name, None
    if verb == "up" and 0 < index < len(rows):
        rows[index - 1], rows[index] = rows[index], rows[index - 1]
        return name, index - 1
    if verb == "down" and 0 <= index < len(rows) - 1:
        rows[index + 1], rows[index] = rows[index], rows[index + 1]
        return name, index + 1
    return None
