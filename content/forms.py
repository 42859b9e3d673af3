from django import forms
from django.utils.translation import gettext_lazy as _

from competencies.models import Band
from content.choices import Duration


class CatalogueFilterForm(forms.Form):
    query = forms.CharField(label=_("Search"), required=False, max_length=200)
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("All levels")), *Band.choices]
    )
    duration = forms.ChoiceField(
        label=_("Duration"), required=False, choices=[("", _("Any duration")), *Duration.choices]
    )

    def clean_query(self):
        return " ".join(self.cleaned_data["query"].split())
