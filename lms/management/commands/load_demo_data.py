from django.core.management.base import BaseCommand
from django.db import transaction

from competencies.demo import demo_organisation_load, demo_shared_service_load
from competencies.loaders import frameworks_load, roles_load
from content.demo import (
    demo_branding_load,
    demo_modules_load,
    demo_own_modules_load,
    demo_own_statements_load,
    demo_statements_load,
)
from content.services import site_setup
from lms.demo import (
    demo_certificate_states,
    demo_colleagues_progress,
    demo_mandatory_training_load,
    demo_progress_load,
    demo_unit_manager_set,
)
from people.demo import (
    DEMO_PASSWORD,
    DEMO_SHARED_SERVICE_ADVISERS,
    DEMO_TOTP_SECRET,
    demo_administrators_appoint,
    demo_people_load,
)
from people.services import cdo_group_setup, hr_group_setup


class Command(BaseCommand):
    help = (
        "Create the demo organisation: site, catalogue, modules and one person per role. "
        "Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Do not print the logins.")

    def handle(self, *args, quiet=False, **options):
        with transaction.atomic():
            frameworks_load()
            roles_load()
            catalogue = site_setup(site_name="Gemeente Voorbeeldstad", port=8000)
            hr_group_setup()
            cdo_group = cdo_group_setup()
            modules = demo_modules_load(catalogue=catalogue)
            demo_statements_load(home=catalogue.get_parent().specific)
            people = demo_people_load()
            by_role = {person.local_part: user for person, user in people}
            # Demo databases from before the CDO group existed get their CDO into it too.
            by_role["cdo"].groups.add(cdo_group)
            organisation = demo_organisation_load(users=by_role)
            demo_shared_service_load()
            own_modules = demo_own_modules_load(catalogue=catalogue)
            demo_branding_load()
            demo_own_statements_load(home=catalogue.get_parent().specific)
            demo_administrators_appoint(organisation=organisation, users=by_role)
            demo_progress_load(learner=by_role["medewerker"], manager=by_role["leidinggevende"])
            demo_colleagues_progress(organisation_id=organisation.pk)
            demo_certificate_states(organisation_id=organisation.pk, acting_user=by_role["hr"])
            demo_unit_manager_set(manager=by_role["leidinggevende"])
            demo_mandatory_training_load(organisation=organisation, acting_user=by_role["hr"])
        if quiet:
            return
        self.stdout.write(
            f"Demo data ready: {len(modules)} shared modules in the catalogue, "
            f"{len(own_modules)} of an organisation's own.\n"
        )
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        for person, _user in people:
            self.stdout.write(f"  {person.role:<28} {person.email}")
        for email, _first, _last, role in DEMO_SHARED_SERVICE_ADVISERS:
            self.stdout.write(f"  {role:<28} {email}")
        self.stdout.write(
            f"HR, trainer and content lead also enter a two-factor code: authenticator secret "
            f"{DEMO_TOTP_SECRET}, or run `manage.py demo_code` for the current code."
        )
