"""Who may open an admin screen that is not a viewset, decided in one place.

A screen declares the permissions it needs once, on its view (``admin_permissions``, all of
them needed); the view refuses everyone else and its menu item asks the view, so the menu and
the view cannot disagree. Viewsets keep Wagtail's own mechanism, their model's permission
policy, which their menu items ask in the same way.

A refusal is a ``PermissionDenied``: inside the admin Wagtail turns it into a redirect to the
dashboard with a message. tests/config/test_admin_access.py walks every admin URL of our apps
with a user who holds no permission, so a new screen without a rule is caught.
"""

from django.core.exceptions import PermissionDenied
from django.urls import resolve, reverse
from wagtail.admin.menu import MenuItem

from core.access import Scope


class AdminPermissionMixin:
    """For class-based admin views outside a viewset."""

    # Every one of these is needed. Left empty, the view is open to no one unless it
    # overrides has_admin_permission() with a rule of its own.
    admin_permissions: tuple[str, ...] = ()
    # How the screen is scoped to organisations (core.access.Scope). Every screen says it;
    # tests/config/test_admin_scope.py fails on one that does not. Scope.ORGANISATIONS means
    # the view reads every list and every object through a model's administered_by(user).
    scope: Scope | None = None

    @classmethod
    def user_may_open(cls, user) -> bool:
        return bool(cls.admin_permissions) and user.has_perms(cls.admin_permissions)

    def has_admin_permission(self) -> bool:
        """Override for a rule about the object the view shows (a page one may edit)."""
        return self.user_may_open(self.request.user)

    def dispatch(self, request, *args, **kwargs):
        if not self.has_admin_permission():
            return self.permission_denied()
        return super().dispatch(request, *args, **kwargs)

    def permission_denied(self):
        raise PermissionDenied


class PermissionMenuItem(MenuItem):
    """An admin menu item shown to those whom the view behind it lets in."""

    def __init__(self, label, url_name: str, **kwargs):
        url = reverse(url_name)
        super().__init__(label, url, **kwargs)
        self.view_class = resolve(url).func.view_class

    def is_shown(self, request):
        return self.view_class.user_may_open(request.user)
