"""How an admin screen is scoped to organisations, declared once per screen.

Vaardig holds several organisations (each one a root organisation unit, kept in ``people``).
A person administers some of them; every admin screen shows and accepts only what belongs to
those. Each view, viewset and report says how it is scoped with ``scope`` (one of ``Scope``);
tests/config/test_admin_scope.py fails on a screen registered without one.

core knows nothing of organisations (people sits above it), so people registers the one rule
"which organisations does this person administer" here when it starts
(``people.apps.PeopleConfig.ready``), the way a higher layer hands a lower one what it needs.
The audit log, a core screen, reads it through ``organisation_ids_administered``.
"""

import enum
from collections.abc import Callable, Collection

from django.contrib.auth.base_user import AbstractBaseUser


class Scope(enum.Enum):
    # Only what belongs to the organisations the person administers: the model's
    # ``administered_by(user)`` gives every list, and every id in an address is looked up in
    # it, so anything else answers 404.
    ORGANISATIONS = "organisations"
    # The same for every organisation (the competency frameworks): everyone with the
    # permission reads it; changing it is for platform administrators (superusers), since a
    # change reaches every organisation.
    SHARED = "shared"
    # Platform administration: organisations and who administers them. Superusers only.
    PLATFORM = "platform"


# None means "every organisation": a platform administrator (superuser).
Resolver = Callable[[AbstractBaseUser], Collection[int] | None]
_resolver: Resolver | None = None


def organisations_resolver_register(resolver: Resolver) -> None:
    global _resolver
    _resolver = resolver


def organisation_ids_administered(user) -> Collection[int] | None:
    """The ids of the organisations ``user`` administers; None for a platform administrator,
    who administers all of them."""
    if _resolver is None:  # pragma: no cover - people registers it when the apps load
        raise RuntimeError("No organisation resolver registered: is 'people' installed?")
    return _resolver(user)


def is_platform_administrator(user) -> bool:
    return bool(user.is_active and user.is_superuser)
