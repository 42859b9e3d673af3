"""How role profiles inherit from each other, walked in one place. A role inherits the
competence targets of its parent and may raise them (competencies); a rule or learning path
that names a role also reaches the roles below it (lms)."""

from collections import defaultdict
from collections.abc import Iterable

from people.models import Employee, RoleProfile


class RoleTree:
    """The parent of every role profile, read with one query. Walks stop at a cycle rather
    than looping, should HR ever create one."""

    def __init__(self, parents: dict[int, int | None]):
        self.parents = parents
        self.children: dict[int | None, list[int]] = defaultdict(list)
        for role_id, parent_id in parents.items():
            self.children[parent_id].append(role_id)

    @classmethod
    def load(cls) -> "RoleTree":
        return cls(dict(RoleProfile.objects.values_list("pk", "parent_id")))

    def lineage(self, role_id: int) -> list[int]:
        """The role and its ancestors, the root ("Alle medewerkers") last."""
        chain, current = [], role_id
        while current is not None and current not in chain:
            chain.append(current)
            current = self.parents.get(current)
        return chain

    def with_descendants(self, role_ids: Iterable[int]) -> frozenset[int]:
        """The roles named and every role that inherits from one of them."""
        found, todo = set(), list(role_ids)
        while todo:
            role_id = todo.pop()
            if role_id not in found:
                found.add(role_id)
                todo.extend(self.children[role_id])
        return frozenset(found)


def roles_of(employee_ids: Iterable[int] | None = None) -> dict[int, list[int]]:
    """{employee id: [role ids]} for these employees (everyone when None)."""
    through = Employee.roles.through.objects.all()
    if employee_ids is not None:
        through = through.filter(employee_id__in=list(employee_ids))
    roles = defaultdict(list)
    for employee_id, role_id in through.values_list("employee_id", "roleprofile_id"):
        roles[employee_id].append(role_id)
    return roles
