from django import template
from django.db.models import Count, Subquery

from core.prepared import PreparedQuery
from people.notifications.models import Notification

register = template.Library()

RECENT = 3


def _recent(user, same_user):
    unread = (
        Notification.objects.of(same_user)
        .unread()
        .order_by()
        .values("recipient")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Notification.objects.of(user).annotate(unread_count=Subquery(unread))[:RECENT]


# Compiled once per process: the person's id is all that changes (core/prepared.py).
_RECENT = PreparedQuery(_recent, values=2)


@register.inclusion_tag("people/includes/recent_notifications.html", takes_context=True)
def recent_notifications(context):
    """The signed-in person's latest notifications and how many are unread, for their home,
    in one indexed query: each row carries the count of the unread (someone without any
    notification has none unread)."""
    user = context["request"].user
    if not user.is_authenticated:
        return {"recent": [], "unread": 0}
    recent = _RECENT.all(user.pk, user.pk)
    return {"recent": recent, "unread": recent[0].unread_count or 0 if recent else 0}
