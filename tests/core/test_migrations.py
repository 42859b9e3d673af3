"""The audit log moved from people to core without moving its rows. An installation migrated
before the move keeps its entries, and whoever could read the log keeps reading it."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core.models import AuditEntry
from people.models import OrgUnit, User
from tests.factories import UserFactory

BEFORE_THE_MOVE = [("people", "0006_orgunit_manager"), ("core", None)]

# Each test migrates every app that depends on people and core back and forward again: about
# fifteen seconds of CPU each, so they run with `make test`, not in the fast subset.
pytestmark = pytest.mark.slow


def migrate(targets=None):
    """Migrate to the targets (the newest state without), and return the executor."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    # Migrations rename content types behind the back of the process-wide cache.
    ContentType.objects.clear_cache()
    return executor


# Schema changes on SQLite cannot run inside the test's transaction, hence transaction=True.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("core_type_made_early", [False, True])
def test_an_existing_audit_log_keeps_its_rows_and_its_readers(core_type_made_early):
    unit = OrgUnit.add_root(name="Gemeente Oudstad")
    reader = UserFactory(email="hr@oudstad.example")
    old_apps = migrate(BEFORE_THE_MOVE).loader.project_state(BEFORE_THE_MOVE[0]).apps

    # The installation as it was: the log and its permission belong to people.
    old_type = ContentType.objects.get(app_label="people", model="auditentry")
    assert not ContentType.objects.filter(app_label="core", model="auditentry").exists()
    if core_type_made_early:
        # As if Django had already created core's content type and permissions, which a
        # migrate to an earlier target does at its end.
        early = ContentType.objects.create(app_label="core", model="auditentry")
        Permission.objects.create(
            content_type=early, codename="view_auditentry", name="Can view audit entry"
        )
    hr = Group.objects.create(name="HR")
    hr.permissions.add(Permission.objects.get(content_type=old_type, codename="view_auditentry"))
    reader.groups.add(hr)
    OldAuditEntry = old_apps.get_model("people", "AuditEntry")
    OldAuditEntry.objects.create(actor_id=reader.pk, action="people.roster.import", data={"n": 3})
    OldAuditEntry.objects.create(
        action="competencies.coverage.names_view",
        target_type_id=ContentType.objects.get_for_model(OrgUnit).pk,
        target_id=str(unit.pk),
    )

    migrate()

    entries = list(AuditEntry.objects.order_by("pk"))
    assert [(e.action, e.actor, e.data) for e in entries] == [
        ("people.roster.import", reader, {"n": 3}),
        ("competencies.coverage.names_view", None, {}),
    ]
    assert entries[1].target_type.model_class() is OrgUnit
    assert ContentType.objects.filter(model="auditentry").count() == 1
    assert User.objects.get(pk=reader.pk).has_perm("core.view_auditentry")


BEFORE_ORGANISATIONS = [
    ("people", "0010_rosterupload_kind_file_and_undo"),
    ("core", "0002_auditentry_content_type"),
]


@pytest.mark.django_db(transaction=True)
def test_earlier_entries_and_uploads_are_filed_under_their_organisation():
    from people.models import Employee, RosterUpload
    from tests.factories import employee_create

    root = OrgUnit.add_root(name="Gemeente Oudstad")
    unit = OrgUnit.objects.get(pk=root.pk).add_child(name="Burgerzaken")
    employee = employee_create(org_unit=unit)
    old_apps = migrate(BEFORE_ORGANISATIONS).loader.project_state(BEFORE_ORGANISATIONS).apps
    OldEntry = old_apps.get_model("core", "AuditEntry")
    OldUpload = old_apps.get_model("people", "RosterUpload")

    def about(model, pk, action):
        kind = ContentType.objects.get_for_model(model)
        return OldEntry.objects.create(action=action, target_type_id=kind.pk, target_id=str(pk))

    about(Employee, employee.pk, "people.employee.edit")
    about(OrgUnit, unit.pk, "people.orgunit.edit")
    about(User, employee.user_id, "people.account.email_change")
    upload = OldUpload.objects.create(
        filename="personeel.csv", kind="complete", result={"organisations": [root.name]}
    )
    about(RosterUpload, upload.pk, "people.roster.import")
    OldEntry.objects.create(action="competencies.coverage_snapshot.take")

    migrate()

    filed = list(AuditEntry.objects.order_by("pk").values_list("action", "organisation_id"))
    assert filed == [
        ("people.employee.edit", root.pk),
        ("people.orgunit.edit", root.pk),
        ("people.account.email_change", root.pk),
        ("people.roster.import", root.pk),
        ("competencies.coverage_snapshot.take", None),
    ]
    assert list(RosterUpload.objects.get(pk=upload.pk).organisations.all()) == [root]
