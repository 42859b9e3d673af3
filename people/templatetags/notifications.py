from django import template

from people.notifications.models import Notification

register = template.Library()

RECENT = 3


@register.inclusion_tag("people/includes/recent_notifications.html", takes_context=True)
def recent_notifications(context):
    """The signed-in person's latest notifications and how many are unread, for their home
    (two indexed queries)."""
    user = context["request"].user
    if not user.is_authenticated:
        return {"recent": [], "unread": 0}
    mine = Notification.objects.of(user)
    return {"recent": list(mine[:RECENT]), "unread": mine.unread().count()}
