"""The tables of the people app, each kind in a module of its own, imported here so that
Django finds them (and the migrations keep naming ``people.models.UserManager``)."""

from people.accounts import User, UserManager
from people.employees import Employee, EmployeeQuerySet, RoleProfile, RoleProfileQuerySet
from people.notifications.models import Notification
from people.roster_uploads import RosterUpload, RosterUploadQuerySet
from people.units import OrganisationAdministrator, OrgUnit, OrgUnitManager, OrgUnitQuerySet

__all__ = [
    "Employee",
    "EmployeeQuerySet",
    "Notification",
    "OrgUnit",
    "OrgUnitManager",
    "OrgUnitQuerySet",
    "OrganisationAdministrator",
    "RoleProfile",
    "RoleProfileQuerySet",
    "RosterUpload",
    "RosterUploadQuerySet",
    "User",
    "UserManager",
]
