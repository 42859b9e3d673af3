"""A rule or a learning path names a module, not one language version of it.

Whichever version was chosen (the admin's page chooser offers every language), the record
keeps the module's source (``content.translations.source_id``), as enrolments and progress do
through the learning services. Connected in ``LmsConfig.ready`` for the models whose admin
forms write a module from the page chooser. Assignments take the module of their rule or
path, or one the manager's form offers, which offers sources only.
"""

from content.translations import source_id


def module_to_source(sender, instance, **kwargs) -> None:
    if instance.module_id is not None:
        instance.module_id = source_id(instance.module_id)
