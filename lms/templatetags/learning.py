"""Template tags that put the signed-in learner's progress on the content pages. The content
app knows nothing of progress; its templates ask for it here."""

from datetime import UTC, datetime

from django import template
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from competencies.models import Band
from competencies.selectors import standing_of
from lms.learning import selectors
from lms.learning.my_learning import my_learning
from lms.team import selectors as team_selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def lesson_state(context, lesson, module):
    request = context["request"]
    return selectors.lesson_state(
        learner=request.user,
        lesson=lesson,
        module=module,
        retry_requested="opnieuw" in request.GET,
    )


@register.simple_tag(takes_context=True)
def module_statuses(context, modules):
    return selectors.module_statuses(learner=context["request"].user, modules=list(modules))


@register.simple_tag(takes_context=True)
def module_status(context, module):
    return selectors.module_statuses(
        learner=context["request"].user, modules=[module], with_certificates=True
    ).get(module.pk)


@register.simple_tag(takes_context=True)
def learner_home(context):
    """The signed-in employee's start: what is due, what is in progress, where they stand.
    None for a visitor, who sees the public home page."""
    user = context["request"].user
    if not user.is_authenticated:
        return None
    sections = my_learning(learner=user)
    # A module that "To do" shows with its progress and next lesson is not shown again
    # under "In progress": one way on from each module.
    due = {
        (item["next"] if item["kind"] == "path" else item)["module"].pk for item in sections["due"]
    }
    return {
        **sections,
        "in_progress_not_due": [r for r in sections["in_progress"] if r["module"].pk not in due],
        "standing": standing_of(user=user),
    }


@register.simple_tag(takes_context=True)
def team_summary(context):
    """The manager's team in three figures, for their home."""
    return team_selectors.team_summary(user=context["request"].user)


@register.simple_tag(takes_context=True)
def done_lesson_keys(context, module):
    return selectors.done_lesson_keys(learner=context["request"].user, module=module)


@register.filter
def status_for(statuses, module):
    return statuses.get(module.pk) if statuses else None


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def duration(delta):
    """A time span in words, e.g. "2 days, 3 hours", in the active language."""
    start = datetime(2000, 1, 1, tzinfo=UTC)
    return timesince(start, start + delta, depth=2)


@register.filter
def band_of(rank):
    """The band of a DigComp level in words: 1-2 foundation ... 7-8 highly specialised."""
    return Band.of_rank(rank).label if rank else ""


@register.filter
def hours_minutes(minutes):
    """A study time such as "2 uur 40 min" in the active language."""
    hours, rest = divmod(int(minutes or 0), 60)
    if not hours:
        return _("%(minutes)s min") % {"minutes": rest}
    if not rest:
        return ngettext("%(hours)s hour", "%(hours)s hours", hours) % {"hours": hours}
    return ngettext("%(hours)s hour %(minutes)s min", "%(hours)s hours %(minutes)s min", hours) % {
        "hours": hours,
        "minutes": rest,
    }
