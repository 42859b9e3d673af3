from django.contrib.auth.models import Group, Permission
from django.db import transaction

HR = "HR"

# HR maintains the organisation, its people, and the competency framework and role targets.
_HR_MODELS = {
    "lms": ["certificate", "assignmentrule", "learningpath", "learningpathmodule"],
    "people": ["orgunit", "employee", "roleprofile", "rosterupload"],
    "competencies": ["framework", "competencearea", "competence", "roletargets", "rolerequirement"],
}


@transaction.atomic
def hr_group_setup() -> Group:
    """Create or complete the HR group. Safe to run again."""
    group, _created = Group.objects.get_or_create(name=HR)
    permissions = [
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        Permission.objects.get(content_type__app_label="people", codename="import_roster"),
        Permission.objects.get(content_type__app_label="competencies", codename="view_coverage"),
        # Reading the audit log, never changing it. The names behind coverage figures
        # (competencies.view_coverage_names) are deliberately not part of the group: they are
        # granted to a person, so that the works council can see who holds them.
        Permission.objects.get(content_type__app_label="core", codename="view_auditentry"),
        # The compliance report; assignments themselves are made by rules and managers.
        Permission.objects.get(content_type__app_label="lms", codename="view_assignment"),
    ]
    for app_label, models in _HR_MODELS.items():
        permissions += Permission.objects.filter(
            content_type__app_label=app_label,
            content_type__model__in=models,
            codename__regex=r"^(add|change|view|delete)_",
        )
    group.permissions.add(*permissions)
    return group
