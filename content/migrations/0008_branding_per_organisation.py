"""Branding belongs to an organisation instead of the site: every organisation that exists
gets a copy of the site's logo and colour (so that its certificates look as they did), and
its name too where there is only one organisation (with several, each keeps the name of its
unit, as their certificates showed already)."""

import django.db.models.deletion
from django.db import migrations, models


def branding_to_organisations(apps, schema_editor):
    Branding = apps.get_model("content", "OrganisationBranding")
    OrgUnit = apps.get_model("people", "OrgUnit")
    rows = list(Branding.objects.order_by("-site__is_default_site", "pk"))
    roots = list(OrgUnit.objects.filter(depth=1).order_by("path"))
    if not rows:
        return
    source, others = rows[0], rows[1:]
    Branding.objects.filter(pk__in=[row.pk for row in others]).delete()
    if not roots:
        source.delete()  # no organisation to brand yet; each gets its own when it is added
        return
    name = source.organisation_name if len(roots) == 1 else ""
    for number, root in enumerate(roots):
        branding = source if number == 0 else Branding(logo_id=source.logo_id)
        branding.organisation = root
        branding.organisation_name = name
        branding.primary_colour = source.primary_colour
        branding.site = None
        branding.save()


def branding_to_the_site(apps, schema_editor):
    Branding = apps.get_model("content", "OrganisationBranding")
    Site = apps.get_model("wagtailcore", "Site")
    first = Branding.objects.order_by("organisation__path").first()
    site = Site.objects.filter(is_default_site=True).first()
    Branding.objects.exclude(pk=first.pk if first and site else None).delete()
    if first and site:
        first.site = site
        first.save()


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0007_module_organisation"),
        ("people", "0014_personal_data_erasure"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisationbranding",
            name="organisation",
            field=models.OneToOneField(
                null=True,
                limit_choices_to={"depth": 1},
                on_delete=django.db.models.deletion.CASCADE,
                related_name="branding",
                to="people.orgunit",
                verbose_name="organisation",
            ),
        ),
        migrations.AlterField(
            model_name="organisationbranding",
            name="site",
            field=models.OneToOneField(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                to="wagtailcore.site",
            ),
        ),
        migrations.RunPython(branding_to_organisations, branding_to_the_site),
        migrations.RemoveField(model_name="organisationbranding", name="site"),
        migrations.AlterField(
            model_name="organisationbranding",
            name="organisation",
            field=models.OneToOneField(
                limit_choices_to={"depth": 1},
                on_delete=django.db.models.deletion.CASCADE,
                related_name="branding",
                to="people.orgunit",
                verbose_name="organisation",
            ),
        ),
        migrations.AddField(
            model_name="organisationbranding",
            name="signatory_name",
            field=models.CharField(
                blank=True,
                help_text="The person whose name the certificates bear, such as the town clerk.",
                max_length=200,
                verbose_name="signed by",
            ),
        ),
        migrations.AddField(
            model_name="organisationbranding",
            name="signatory_title",
            field=models.CharField(
                blank=True,
                help_text="Such as “Director”.",
                max_length=200,
                verbose_name="signatory's position",
            ),
        ),
        migrations.AlterField(
            model_name="organisationbranding",
            name="organisation_name",
            field=models.CharField(
                blank=True,
                help_text="As the certificates name it. Empty: the name of the organisation unit.",
                max_length=200,
                verbose_name="organisation name",
            ),
        ),
        migrations.AlterModelOptions(
            name="organisationbranding",
            options={
                "ordering": ["organisation__name"],
                "verbose_name": "organisation branding",
                "verbose_name_plural": "organisation branding",
            },
        ),
    ]
