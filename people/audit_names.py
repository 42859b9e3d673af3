"""How the audit log (core) names people and finds them: an account or employee record by
name, or by pseudonym once erased; a search by name or address within the organisations the
reader administers. Registered with core.audit_names when the app starts."""

from functools import reduce

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from core.audit_names import namer_register, people_search_register
from people.access import organisations_administered
from people.models import Employee, OrganisationAdministrator, User
from people.personal_data import pseudonym_of

# A search that matches more people than this is too broad to be meant: the first ones count.
SEARCH_LIMIT = 200


def _account_name(user: User) -> str:
    if user.erased_at:
        return pseudonym_of(user)
    return user.get_full_name() or user.email


def _accounts(queryset) -> dict:
    return {user.pk: _account_name(user) for user in queryset}


def _employees(queryset) -> dict:
    return {
        employee.pk: _account_name(employee.user)
        if employee.user.erased_at
        else f"{_account_name(employee.user)} ({employee.number})"
        for employee in queryset.select_related("user")
    }


def _matching(text: str, prefix: str = "") -> Q:
    """Every word of the text in the first name, last name or address."""
    words = text.split()
    return reduce(
        lambda q, word: (
            q
            & (
                Q(**{f"{prefix}first_name__icontains": word})
                | Q(**{f"{prefix}last_name__icontains": word})
                | Q(**{f"{prefix}email__icontains": word})
            )
        ),
        words,
        Q(),
    )


def entries_about_people(reader, text: str) -> Q:
    """The entries by or about the people matching ``text`` whom ``reader`` may see: the staff
    of the organisations she administers and their administrators (a platform administrator:
    everyone)."""
    if not text.split():
        return Q()
    administered = organisations_administered(reader)
    employees = Employee.objects.administered_by(reader).filter(_matching(text, "user__"))
    employee_rows = list(employees.values_list("pk", "user_id")[:SEARCH_LIMIT])
    if administered.everything:
        administrators = User.objects.filter(_matching(text))
    else:
        administrators = User.objects.filter(
            _matching(text),
            pk__in=OrganisationAdministrator.objects.filter(
                organisation__in=administered.ids
            ).values("user_id"),
        )
    user_ids = {user_id for _pk, user_id in employee_rows}
    user_ids |= set(administrators.values_list("pk", flat=True)[:SEARCH_LIMIT])
    users = ContentType.objects.get_for_model(User)
    staff = ContentType.objects.get_for_model(Employee)
    employee_ids = [pk for pk, _user in employee_rows]
    return (
        Q(actor__in=user_ids)
        | Q(target_type=users, target_id__in=[str(pk) for pk in user_ids])
        | Q(target_type=staff, target_id__in=[str(pk) for pk in employee_ids])
        # An entry about something of theirs (an assignment given or moved, a level a manager
        # validated) names the employee in its details: it is about them too.
        | Q(data__employee__in=employee_ids)
        # An entry about something of her account's (an enrolment, a certificate) names her.
        | Q(data__person__in=list(user_ids))
    )


def register_audit_names() -> None:
    """Called from PeopleConfig.ready()."""
    namer_register(User._meta.label, _accounts)
    namer_register(Employee._meta.label, _employees)
    people_search_register(entries_about_people)
