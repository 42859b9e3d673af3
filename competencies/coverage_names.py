"""The people behind a coverage figure. Coverage shows groups, never persons; seeing the names
behind a figure needs its own permission (``competencies.view_coverage_names``), which the
HR group does not have by default, and every look is written to the audit log.

Names are shown for groups below the privacy threshold too. The threshold keeps a share from
pointing at people for those who see figures only; whoever holds this permission has been
trusted to see the people themselves, and the audit entry records each look either way."""

from dataclasses import dataclass

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext as _

from competencies.models import Competence, CompetenceStatus
from core.audit import audit_log
from core.tree import ancestor_paths
from people.models import OrgUnit, RoleProfile, User

NAMES_PERMISSION = "competencies.view_coverage_names"


@dataclass(frozen=True)
class PersonBehind:
    name: str
    number: str
    unit: str  # the employee's unit below the unit asked for: "Burgerzaken/Team 2"
    level: int | None
    basis: str
    target: int
    meets_target: bool

    @property
    def meets_target_text(self) -> str:
        return _("yes") if self.meets_target else _("no")


def coverage_people(
    *, unit: OrgUnit, competence: Competence, role: RoleProfile | None = None
) -> list[PersonBehind]:
    """The active employees of a unit and the units below it with a target on the competence
    (and the role, if given): the people a coverage cell counts, those below the target first.
    Two queries."""
    statuses = CompetenceStatus.objects.filter(
        competence=competence,
        target_rank__isnull=False,
        # The unit the status counts in, as the coverage count reads it: the same people.
        coverage_unit__path__startswith=unit.path,
    )
    if role is not None:
        statuses = statuses.filter(employee__roles=role)
    # Those below the target first: they are why HR opens the list.
    statuses = statuses.select_related("employee__user", "coverage_unit").order_by(
        "meets_target",
        "employee__user__last_name",
        "employee__user__first_name",
        "employee__number",
    )
    names = dict(OrgUnit.objects.filter(path__startswith=unit.path).values_list("path", "name"))

    def below(path: str) -> str:
        return "/".join(
            names.get(above, "?")
            for above in ancestor_paths(path, OrgUnit.steplen, from_depth=unit.depth)
        )

    return [
        PersonBehind(
            name=status.employee.user.get_full_name() or status.employee.user.email,
            number=status.employee.number,
            unit=below(status.coverage_unit.path),
            level=status.effective_rank,
            basis=status.get_basis_display(),
            target=status.target_rank,
            meets_target=status.meets_target,
        )
        for status in statuses
    ]


def coverage_names_disclose(
    *,
    acting_user: User,
    unit: OrgUnit,
    competence: Competence,
    role: RoleProfile | None = None,
    export_format: str | None = None,
) -> list[PersonBehind]:
    """Show the people behind a coverage cell to someone allowed to see them, or hand them
    over as a spreadsheet (``export_format``), and record who looked at whom in the same
    transaction: a look that is not recorded does not happen. A download is recorded as
    such, since the list then leaves the application."""
    if not acting_user.has_perm(NAMES_PERMISSION):
        raise PermissionDenied
    extra = {"format": export_format} if export_format else {}
    with transaction.atomic():
        people = coverage_people(unit=unit, competence=competence, role=role)
        audit_log(
            actor=acting_user,
            action="competencies.coverage." + ("names_export" if export_format else "names_view"),
            target=unit,
            unit=unit.pk,
            unit_name=unit.name,
            competence=competence.code,
            role=role.code if role is not None else None,
            people_shown=len(people),
            **extra,
        )
    return people


def names_permission() -> Permission:
    return Permission.objects.get(
        content_type__app_label="competencies", codename=NAMES_PERMISSION.split(".")[1]
    )


def coverage_names_grant(*, user: User, granted: bool, acting_user: User | None) -> bool:
    """Give one person the names permission, or take it away, and record it. Granted to a
    person, never through the HR group, so that who holds it is a list of names. Returns
    whether anything changed."""
    with transaction.atomic():
        permission = names_permission()
        holds = user.user_permissions.filter(pk=permission.pk).exists()
        if holds == granted:
            return False
        if granted:
            user.user_permissions.add(permission)
        else:
            user.user_permissions.remove(permission)
        audit_log(
            actor=acting_user,
            action="competencies.coverage.names_grant"
            if granted
            else "competencies.coverage.names_revoke",
            target=user,
            email=user.email,
        )
    return True


def coverage_names_holders():
    """Everyone who may see the names behind coverage figures, however they got it."""
    permission = names_permission()
    return (
        User.objects.filter(is_active=True)
        .filter(
            models.Q(user_permissions=permission)
            | models.Q(groups__permissions=permission)
            | models.Q(is_superuser=True)
        )
        .distinct()
        .order_by("email")
    )
