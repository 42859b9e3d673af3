from django import forms
from django.utils.translation import gettext_lazy as _

from content.choices import Duration, LevelBand


class CatalogueFilterForm(forms.Form):
    query = forms.CharField(label=_("Search"), required=False, max_length=200)
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("All levels")), *LevelBand.choices]
    )
    duration = forms.ChoiceField(
        label=_("Duration"), required=False, choices=[("", _("Any duration")), *Duration.choices]
    )

    def clean_query(self):
        return " ".join(self.cleaned_data["query"].split())
