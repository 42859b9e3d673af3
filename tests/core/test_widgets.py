"""The choice widgets written in Python give the HTML of Django's own templates."""

import re

from django import forms

from core import widgets

CHOICES = [("", "---------"), ("1", "Anne <Smit>"), ("2", "Jan 't Hart & zn"), (3, "Drie")]
GROUPED = [("Teams", [("a", "Team A"), ("b", "Team B")]), ("c", "Los")]


def _same(html: str) -> str:
    """The HTML with the whitespace between tags left out: the templates add newlines."""
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", str(html))).strip()


def _pairs():
    yield forms.Select, widgets.Select
    yield forms.RadioSelect, widgets.RadioSelect
    yield forms.CheckboxSelectMultiple, widgets.CheckboxSelectMultiple


def test_it_writes_what_djangos_templates_write():
    for django_widget, python_widget in _pairs():
        multiple = django_widget is forms.CheckboxSelectMultiple
        for choices in (CHOICES, GROUPED):
            for value in (None, "2", ["1", "3"] if multiple else 3, "b"):
                for attrs in (
                    {"id": "id_who"},
                    {"id": "id_who", "class": "choices", "required": True, "disabled": False},
                    None,
                ):
                    theirs = django_widget(choices=choices).render("who", value, attrs=attrs)
                    ours = python_widget(choices=choices).render("who", value, attrs=attrs)
                    assert _same(ours) == _same(theirs), (django_widget, value, attrs)


def test_it_escapes_labels_and_values():
    html = widgets.CheckboxSelectMultiple(choices=[('"x"', "<b>bold</b>")]).render(
        "m", None, attrs={"id": "id_m"}
    )

    assert "<b>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html
    assert 'value="&quot;x&quot;"' in html


def test_a_form_field_keeps_its_label_and_checked_choice():
    class Form(forms.Form):
        who = forms.ChoiceField(
            choices=[("a", "Alle"), ("b", "Enkele")], widget=widgets.RadioSelect
        )

    html = str(Form({"who": "b"})["who"])

    assert '<label for="id_who_1"><input type="radio" name="who" value="b"' in html
    assert re.search(r'value="b" required id="id_who_1" checked> Enkele</label>', html)
