# The audit log moves from people to core without moving its rows: core takes over the model
# in Django's state only, on the table people 0002 created (db_table keeps its name), and
# people 0007 lets go of it, again in state only. A new database gets the table from people
# 0002; an existing one keeps its table and its rows.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('people', '0002_auditentry'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AuditEntry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('action', models.CharField(max_length=100, verbose_name='action')),
                        ('target_id', models.CharField(blank=True, max_length=64)),
                        ('data', models.JSONField(blank=True, default=dict)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='when')),
                        ('actor', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                        ('target_type', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='contenttypes.contenttype')),
                    ],
                    options={
                        'verbose_name': 'audit entry',
                        'verbose_name_plural': 'audit entries',
                        'db_table': 'people_auditentry',
                        'ordering': ['-created_at'],
                        'indexes': [models.Index(fields=['action', 'created_at'], name='people_audi_action_df4c81_idx'), models.Index(fields=['target_type', 'target_id'], name='people_audi_target__c14787_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
