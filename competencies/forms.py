from competencies.models import Competence
from competencies.services import competence_validity_change
from competencies.status import statuses_refresh_for
from core.admin_views import AuditedAdminForm
from people.forms import figures_notice


class CompetenceForm(AuditedAdminForm):
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

    def save_object(self, commit=True):
        was = self.initial.get("validity_months") if self.instance.pk else None
        competence = super().save_object(commit=commit)
        if self.instance.pk and "validity_months" in self.changed_data:
            self.notice = figures_notice(
                competence_validity_change(competence=competence, old_months=was)
            )
        return competence


class RoleTargetsForm(AuditedAdminForm):
    """The targets of one role. Saving them updates the figures of everyone holding the role
    or a role that inherits from it."""

    def save_object(self, commit=True):
        targets = super().save_object(commit=commit)
        if any(formset.has_changed() for formset in self.formsets.values()):
            self.notice = figures_notice(statuses_refresh_for(role_ids=[targets.pk]))
        return targets
