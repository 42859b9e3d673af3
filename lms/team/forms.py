from django import forms
from django.utils.translation import gettext_lazy as _

from core import widgets
from core.forms import DatePicker
from core.ids import IdChoiceField, IdMultipleChoiceField


class TeamAssignForm(forms.Form):
    """A manager assigns a module with a due date to the whole team or to chosen members."""

    EVERYONE, CHOSEN = "everyone", "chosen"

    # The choice widgets write their HTML in Python (core/widgets.py): the page shows every
    # module and team member, and Django's option templates were a quarter of its time.
    module = IdChoiceField(label=_("Module"), queryset=None, widget=widgets.Select)
    due_on = forms.DateField(label=_("Due date"), widget=DatePicker)
    who = forms.ChoiceField(
        label=_("Assign to"),
        choices=[(EVERYONE, _("The whole team")), (CHOSEN, _("The people I choose below"))],
        widget=widgets.RadioSelect,
        initial=EVERYONE,
    )
    members = IdMultipleChoiceField(
        label=_("Team members"),
        queryset=None,
        required=False,
        widget=widgets.CheckboxSelectMultiple,
    )

    def __init__(self, *args, modules, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = modules
        self.fields["members"].queryset = members
        self.fields["members"].label_from_instance = lambda e: e.user.get_full_name()

    def chosen(self) -> list:
        if self.cleaned_data["who"] == self.EVERYONE:
            return list(self.fields["members"].queryset)
        return list(self.cleaned_data["members"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("who") == self.CHOSEN and not cleaned.get("members"):
            self.add_error("members", _("Choose at least one team member."))
        return cleaned


class ValidationForm(forms.Form):
    """A manager records a level after a conversation; all three fields are required."""

    level = forms.TypedChoiceField(
        label=_("Level"), coerce=int, choices=[(r, str(r)) for r in range(1, 9)]
    )
    review_on = forms.DateField(label=_("Next review"), widget=DatePicker)
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}))


class TeamFilterForm(forms.Form):
    """What the team matrix shows, read from the address (a GET form, so it works without
    JavaScript and a filtered view can be bookmarked). Unknown values fall back to all."""

    area = forms.IntegerField(label=_("Competence area"), required=False, min_value=1)
    attention = forms.BooleanField(label=_("Only below a target or overdue"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=[("name", _("Name")), ("gap", _("Most targets not met"))],
        required=False,
    )

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "area_id": data.get("area"),
            "attention_only": bool(data.get("attention")),
            "sort": data.get("sort") or "name",
        }
