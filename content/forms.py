from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from competencies.models import Band
from content.choices import Duration
from people.access import organisations


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


class OrganisationPageForm(WagtailAdminPageForm):
    """The editor of a page that is shared (no organisation) or one organisation's own: a
    module, a statement. An editor may give it only an organisation they administer (a page
    keeps the one it has, should they see it for another reason)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("organisation")
        if field is not None:
            own = Q(pk__in=organisations(self.for_user).values("pk"))
            if self.instance.organisation_id:
                own |= Q(pk=self.instance.organisation_id)
            field.queryset = field.queryset.filter(own).order_by("name")
