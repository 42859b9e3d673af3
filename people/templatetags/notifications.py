from django import template
from django.db.models import Count, Subquery

from people.notifications.models import Notification

register = template.Library()

RECENT = 3


@register.inclusion_tag("people/includes/recent_notifications.html", takes_context=True)
def recent_notifications(context):
    """The signed-in person's latest notifications and how many are unread, for their home,
    in one indexed query: each row carries the count of the unread (someone without any
    notification has none unread)."""
    user = context["request"].user
    if not user.is_authenticated:
        return {"recent": [], "unread": 0}
    unread = (
        Notification.objects.of(user)
        .unread()
        .order_by()
        .values("recipient")
        .annotate(count=Count("pk"))
        .values("count")
    )
    recent = list(Notification.objects.of(user).annotate(unread_count=Subquery(unread))[:RECENT])
    return {"recent": recent, "unread": recent[0].unread_count or 0 if recent else 0}
