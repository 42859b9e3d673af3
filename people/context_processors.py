from django.utils.functional import SimpleLazyObject

from people.models import Employee


def team_navigation(request):
    """Whether to show "My team": the signed-in person manages at least one active employee."""
    user = getattr(request, "user", None)

    def manages_someone():
        if not (user and user.is_authenticated):
            return False
        return Employee.objects.filter(manager__user=user, is_active=True).exists()

    return {"nav_team": SimpleLazyObject(manages_someone)}
