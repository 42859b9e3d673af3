# Permissions hang on the content type of their model. An existing database has the audit
# log's content type as people.auditentry, with view_auditentry given to the HR group; it is
# renamed to core.auditentry, so that the same permission rows, and every group and person
# holding them, now grant access to the log in core. A new database has no content types yet
# during migrate: Django creates core.auditentry afterwards, and hr_group_setup grants it.

from django.db import migrations


def _move(apps, schema_editor, *, old_label, new_label):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    Permission = apps.get_model('auth', 'Permission')
    AuditEntry = apps.get_model('core', 'AuditEntry')
    db = schema_editor.connection.alias
    types = ContentType.objects.using(db)
    old = types.filter(app_label=old_label, model='auditentry').first()
    if old is None:
        return
    new = types.filter(app_label=new_label, model='auditentry').first()
    if new is None:
        old.app_label = new_label
        old.save(update_fields=['app_label'])
    else:
        # Both exist when Django created the new one before this migration ran (a migrate to
        # an earlier target ends by creating the content types of every installed model):
        # carry the grants over before the old type and its permissions go.
        for permission in Permission.objects.using(db).filter(content_type=old):
            moved = Permission.objects.using(db).filter(
                content_type=new, codename=permission.codename
            )
            for grant in moved:
                grant.group_set.add(*permission.group_set.all())
                grant.user_set.add(*permission.user_set.all())
        AuditEntry.objects.using(db).filter(target_type=old).update(target_type=new)
        old.delete()


def forwards(apps, schema_editor):
    _move(apps, schema_editor, old_label='people', new_label='core')


def backwards(apps, schema_editor):
    _move(apps, schema_editor, old_label='core', new_label='people')


class Migration(migrations.Migration):

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0001_initial'),
        ('people', '0007_auditentry_moved_to_core'),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
