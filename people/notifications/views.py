from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from people.notifications.models import Notification


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request):
    """The signed-in person's own notifications, newest first, unread ones marked; a POST
    marks them all as read."""
    mine = Notification.objects.of(request.user)
    if request.method == "POST":
        mine.unread().update(read_at=timezone.now())
        return redirect("notifications")
    page = Paginator(mine, 25).get_page(request.GET.get("page"))
    return render(
        request, "people/notifications.html", {"page": page, "unread": mine.unread().count()}
    )
