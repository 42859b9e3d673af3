"""A rule or learning path belongs to one organisation. Existing ones get the organisation of
their target unit, or else the first organisation (the only one, before organisations were
several)."""

import django.db.models.deletion
from django.db import migrations, models


def _root_of(OrgUnit, unit):
    return OrgUnit.objects.get(depth=1, path=unit.path[:4])


def organisations_fill(apps, schema_editor):
    OrgUnit = apps.get_model("people", "OrgUnit")
    AssignmentRule = apps.get_model("lms", "AssignmentRule")
    LearningPath = apps.get_model("lms", "LearningPath")
    first = OrgUnit.objects.filter(depth=1).order_by("path").first()
    for rule in AssignmentRule.objects.select_related("org_unit"):
        rule.organisation = _root_of(OrgUnit, rule.org_unit) if rule.org_unit_id else first
        rule.save(update_fields=["organisation"])
    for learning_path in LearningPath.objects.all():
        unit = learning_path.org_units.order_by("path").first()
        learning_path.organisation = _root_of(OrgUnit, unit) if unit else first
        learning_path.save(update_fields=["organisation"])


def _organisation(null):
    return models.ForeignKey(
        help_text="It assigns to this organisation's staff only.",
        limit_choices_to={"depth": 1},
        null=null,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="people.orgunit",
        verbose_name="organisation",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0006_personal_data_erasure"),
        ("people", "0011_organisation_administrators"),
    ]

    operations = [
        migrations.AddField("assignmentrule", "organisation", _organisation(null=True)),
        migrations.AddField("learningpath", "organisation", _organisation(null=True)),
        migrations.RunPython(organisations_fill, migrations.RunPython.noop),
        migrations.AlterField("assignmentrule", "organisation", _organisation(null=False)),
        migrations.AlterField("learningpath", "organisation", _organisation(null=False)),
    ]
