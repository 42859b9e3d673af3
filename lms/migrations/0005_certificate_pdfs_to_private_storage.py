"""Certificate PDFs issued before the private storage existed lie in the public media storage,
where /media/ serves them to anyone who has the address. Move each (the current PDF and those
of earlier versions) into the private storage and delete the public copy. A file that is not
in the public storage any more (moved already, or lost) is left as it is, so the migration can
run again."""

from django.core.files.storage import storages
from django.db import migrations

from core.storage import PRIVATE


def _move(name: str, source, target) -> str:
    """Move one file; returns its name in the target (the same, unless taken there)."""
    if not name or not source.exists(name):
        return name
    with source.open(name, "rb") as handle:
        new_name = target.save(name, handle)
    source.delete(name)
    return new_name


def _move_all(apps, source, target):
    Certificate = apps.get_model("lms", "Certificate")
    for certificate in Certificate.objects.only("pdf", "history").iterator():
        pdf = _move(certificate.pdf.name, source, target)
        history = [
            {**version, "pdf": _move(version.get("pdf", ""), source, target)}
            for version in certificate.history
        ]
        if pdf != certificate.pdf.name or history != certificate.history:
            Certificate.objects.filter(pk=certificate.pk).update(pdf=pdf, history=history)


def to_private(apps, schema_editor):
    _move_all(apps, storages["default"], storages[PRIVATE])


def to_public(apps, schema_editor):
    _move_all(apps, storages[PRIVATE], storages["default"])


class Migration(migrations.Migration):
    dependencies = [("lms", "0004_certificate_pdf_private")]

    operations = [migrations.RunPython(to_private, to_public)]
