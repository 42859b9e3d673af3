"""Earlier audit entries and roster uploads get the organisation they are about, so that an
installation's administrators keep reading their history once the log and the uploads are
scoped by organisation. Entries about something without an organisation (a shared role, the
snapshot) stay without one: the platform administrator reads those."""

from django.db import migrations
from django.db.models import IntegerField, OuterRef, Subquery
from django.db.models.functions import Cast


def forwards(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Employee = apps.get_model("people", "Employee")
    OrgUnit = apps.get_model("people", "OrgUnit")
    RosterUpload = apps.get_model("people", "RosterUpload")
    types = dict(
        ContentType.objects.filter(
            app_label="people", model__in=["employee", "user", "orgunit", "rosterupload"]
        ).values_list("model", "pk")
    )
    entries = AuditEntry.objects.filter(organisation_id__isnull=True)
    target = Cast(OuterRef("target_id"), IntegerField())
    if "employee" in types:
        entries.filter(target_type_id=types["employee"]).update(
            organisation_id=Subquery(Employee.objects.filter(pk=target).values("organisation")[:1])
        )
    if "user" in types:
        entries.filter(target_type_id=types["user"]).update(
            organisation_id=Subquery(
                Employee.objects.filter(user_id=target).values("organisation")[:1]
            )
        )

    roots = dict(OrgUnit.objects.filter(depth=1).values_list("path", "pk"))
    steplen = 4  # treebeard's default, which OrgUnit keeps
    if "orgunit" in types:
        paths = dict(OrgUnit.objects.values_list("pk", "path"))
        by_organisation: dict[int, list[int]] = {}
        for pk, target_id in entries.filter(target_type_id=types["orgunit"]).values_list(
            "pk", "target_id"
        ):
            path = paths.get(int(target_id)) if target_id.isdigit() else None
            if path and path[:steplen] in roots:
                by_organisation.setdefault(roots[path[:steplen]], []).append(pk)
        for organisation_id, pks in by_organisation.items():
            AuditEntry.objects.filter(pk__in=pks).update(organisation_id=organisation_id)

    by_name = dict(OrgUnit.objects.filter(depth=1).values_list("name", "pk"))
    for upload in RosterUpload.objects.all():
        names = (upload.result or upload.preview.get("result") or {}).get("organisations", [])
        ids = sorted({by_name[name] for name in names if name in by_name})
        if not ids:
            continue
        upload.organisations.set(ids)
        if "rosterupload" in types:
            entries.filter(target_type_id=types["rosterupload"], target_id=str(upload.pk)).update(
                organisation_id=ids[0]
            )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0003_auditentry_organisation"),
        ("people", "0011_organisation_administrators"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
