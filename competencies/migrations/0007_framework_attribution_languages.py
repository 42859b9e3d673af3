from django.db import migrations, models


class Migration(migrations.Migration):
    """A framework's attribution in the three languages: the stored one was English."""

    dependencies = [
        ("competencies", "0006_status_coverage_unit"),
    ]

    operations = [
        migrations.RenameField(
            model_name="framework", old_name="attribution", new_name="attribution_en"
        ),
        migrations.AlterField(
            model_name="framework",
            name="attribution_en",
            field=models.TextField(
                blank=True,
                help_text="Shown wherever the framework is shown.",
                verbose_name="attribution (English)",
            ),
        ),
        migrations.AddField(
            model_name="framework",
            name="attribution_nl",
            field=models.TextField(blank=True, verbose_name="attribution (Dutch)"),
        ),
        migrations.AddField(
            model_name="framework",
            name="attribution_de",
            field=models.TextField(blank=True, verbose_name="attribution (German)"),
        ),
    ]
