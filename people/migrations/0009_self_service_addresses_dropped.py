"""Until now employees could add addresses of their own on /accounts/email/, and allauth signs in
and sends password resets by any address it recorded. The sign-in address is HR's (the
roster): every recorded address other than the account's own is dropped."""

from django.db import migrations
from django.db.models import F


def self_service_addresses_drop(apps, schema_editor):
    EmailAddress = apps.get_model("account", "EmailAddress")
    EmailAddress.objects.exclude(email=F("user__email")).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("account", "0009_emailaddress_unique_primary_email"),
        ("people", "0008_orgunit_two_factor_required"),
    ]

    operations = [migrations.RunPython(self_service_addresses_drop, migrations.RunPython.noop)]
