"""Organisation branding in the admin (*Settings → Organisation branding*): each
organisation's HR advisers and trainers keep their own, as every admin screen is scoped."""

from django.utils.translation import gettext_lazy as _

from content.branding import OrganisationBranding
from core.access import Scope
from core.admin_views import AuditedAdminForm, AuditedModelViewSet
from people.access import organisations


class BrandingForm(AuditedAdminForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "organisation" in self.fields:
            self.fields["organisation"].queryset = organisations(self.for_user)


class OrganisationBrandingViewSet(AuditedModelViewSet):
    model = OrganisationBranding
    scope = Scope.ORGANISATIONS  # the branding of the own organisations only
    base_form_class = BrandingForm
    icon = "image"
    menu_label = _("Organisation branding")
    add_to_settings_menu = True
    list_display = ["__str__", "organisation", "signatory_name"]
    copy_view_enabled = False
    panels = OrganisationBranding.panels
