"""Choice widgets that write their HTML in Python.

Django renders a choice widget through its form templates: an include per option and
another for the option's attributes. On a page with a few dozen options (the modules and
team members of Mijn team) that was a quarter of the page's time. These widgets take the
same context Django builds (``get_context``: names, ids, what is chosen, the attributes) and
write the same HTML as Django's templates in ``django/forms/widgets/``, so labels, ids and
what is checked behave exactly as before; tests/core/test_widgets.py compares the two. They
keep the names of Django's classes, since Wagtail's admin styles a field by its widget's
class name (``w-field--select``): use them as ``widgets.Select``."""

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe


def _attrs(attrs: dict) -> str:
    """``django/forms/widgets/attrs.html``: True as a bare name, False left out."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


def _input(widget: dict) -> str:
    """``django/forms/widgets/input.html``."""
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(str(value))}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'
    )


def _input_option(option: dict) -> str:
    """``django/forms/widgets/input_option.html``."""
    if not option["wrap_label"]:
        return _input(option)
    option_id = option["attrs"].get("id")
    label_for = f' for="{conditional_escape(option_id)}"' if option_id else ""
    return f"<label{label_for}>{_input(option)} {conditional_escape(option['label'])}</label>"


class Select(forms.Select):
    """``forms.Select``, rendered without templates (``django/forms/widgets/select.html``)."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        html = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                html.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in options:
                html.append(
                    f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                    f"{_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>"
                )
            if group_name:
                html.append("\n  </optgroup>")
        html.append("\n</select>")
        return mark_safe("".join(html))


class _PythonMultipleInput:
    """``django/forms/widgets/multiple_input.html`` for radio buttons and checkboxes."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        own_id, css = widget["attrs"].get("id"), widget["attrs"].get("class")
        html = ["<div"]
        if own_id:
            html.append(f' id="{conditional_escape(own_id)}"')
        if css:
            html.append(f' class="{conditional_escape(css)}"')
        html.append(">")
        for group, options, _index in widget["optgroups"]:
            if group:
                html.append(f"\n  <div><label>{conditional_escape(group)}</label>")
            for option in options:
                html.append(f"<div>\n    {_input_option(option)}</div>")
            if group:
                html.append("\n  </div>")
        html.append("\n</div>")
        return mark_safe("".join(html))


class RadioSelect(_PythonMultipleInput, forms.RadioSelect):
    """``forms.RadioSelect``, rendered without templates."""


class CheckboxSelectMultiple(_PythonMultipleInput, forms.CheckboxSelectMultiple):
    """``forms.CheckboxSelectMultiple``, rendered without templates."""
