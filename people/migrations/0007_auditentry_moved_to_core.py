# The audit log now belongs to core (see core 0001): people lets go of the model in Django's
# state only, so that the table people_auditentry and its rows stay where they are.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_initial'),
        ('people', '0006_orgunit_manager'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='AuditEntry')],
            database_operations=[],
        ),
    ]
