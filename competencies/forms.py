from django.db import transaction
from wagtail.admin.forms import WagtailAdminModelForm

from competencies.models import Competence
from competencies.services import competence_validity_change
from competencies.status import statuses_refresh_for


class CompetenceForm(WagtailAdminModelForm):
    """A competence as HR edits it. A new validity applies to the evidence already recorded,
    so the levels that depend on it are brought up to date."""

    class Meta:
        model = Competence
        fields = [
            "area",
            "code",
            "title_nl",
            "title_de",
            "title_en",
            "description_nl",
            "description_de",
            "description_en",
            "validity_months",
        ]

    @transaction.atomic
    def save(self, commit=True):
        was = self.initial.get("validity_months") if self.instance.pk else None
        competence = super().save(commit=commit)
        if self.instance.pk and "validity_months" in self.changed_data:
            self.figures_updating = competence_validity_change(
                competence=competence, old_months=was
            )
        return competence


class RoleTargetsForm(WagtailAdminModelForm):
    """The targets of one role. Saving them updates the figures of everyone holding the role
    or a role that inherits from it."""

    @transaction.atomic
    def save(self, commit=True):
        targets = super().save(commit=commit)
        if any(formset.has_changed() for formset in self.formsets.values()):
            self.figures_updating = statuses_refresh_for(role_ids=[targets.pk])
        return targets
