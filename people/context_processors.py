from django.utils.functional import SimpleLazyObject

from people.teams import has_team


def team_navigation(request):
    """Whether to show "My team": the signed-in person manages someone, directly or as the
    manager of a unit."""
    user = getattr(request, "user", None)

    def manages_someone():
        return bool(user and user.is_authenticated and has_team(user))

    return {"nav_team": SimpleLazyObject(manages_someone)}
