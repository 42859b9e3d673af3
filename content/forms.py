from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from competencies.models import Band
from content.choices import Duration
from core.access import is_platform_administrator
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
    keeps the one it has, should they see it for another reason). A page already shared
    stays shared unless a platform administrator gives it to one organisation: that takes it
    from every other one, their learners' modules in progress included."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("organisation")
        if field is None:
            return
        own = Q(pk__in=organisations(self.for_user).values("pk"))
        if self.instance.organisation_id:
            own |= Q(pk=self.instance.organisation_id)
        field.queryset = field.queryset.filter(own).order_by("name")
        shared = self.instance.pk and self.instance.organisation_id is None
        if shared and not is_platform_administrator(self.for_user):
            field.disabled = True


class StatementPageForm(OrganisationPageForm):
    """The statement editor. The site and each organisation have one statement of each kind
    in each language: the footer links one, so a second would never be shown. Whose a
    statement is, only a platform administrator decides (and only they add statements): an
    organisation's content lead edits its text, and could otherwise take the site's
    statement away from every other organisation by making it her own."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("organisation")
        if field is not None and not is_platform_administrator(self.for_user):
            field.disabled = True

    def clean(self):
        cleaned_data = super().clean()
        kind, parent = cleaned_data.get("kind"), self.parent_page
        if kind is None or parent is None:
            return cleaned_data
        organisation = cleaned_data.get("organisation")
        other = (
            self._meta.model.objects.child_of(parent)
            .filter(kind=kind, organisation=organisation)
            .exclude(pk=self.instance.pk)
            .first()
        )
        if other is not None:
            whom = organisation.name if organisation else _("the whole site")
            self.add_error(
                "kind",
                _("%(whom)s has this statement already: “%(title)s”. Edit that one.")
                % {"whom": whom, "title": other.title},
            )
        return cleaned_data
