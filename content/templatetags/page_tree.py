"""What the templates ask of the page tree around a page, remembered with the tree
(content.routing) instead of queried on every request."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from content.routing import remembered, site_for_request
from content.templatetags.languages import reader_ancestors

register = template.Library()


@register.simple_tag
def breadcrumb_ancestors(page):
    """The pages above ``page`` from its home page down (the tree's root left out), in the
    reader's language where a page is shown untranslated (``reader_ancestors``). A live page's
    are remembered per generation of the page tree and language: they change only when a page
    above it is published, renamed or moved; a page in preview has them read afresh."""
    if not page.live or page.pk is None:
        return reader_ancestors(page)
    return remembered("ancestors", (page.path, get_language()), lambda: reader_ancestors(page))


@register.simple_tag(takes_context=True)
def module_card_head(context, module, heading_level=None):
    """A module card without the learner's status: its cover, title, summary and facts. The
    same for everyone who reads it in one language on one site, so a live module's is
    rendered once per worker and generation of the page tree (a new cover image file starts
    a new generation too); the status is rendered for each learner around it."""
    request = context.get("request")

    def render():
        return render_to_string(
            "includes/module_card_head.html",
            {"module": module, "heading_level": heading_level},
            request=request,
        )

    if not module.live or getattr(request, "is_preview", False):
        return render()
    site = getattr(site_for_request(request), "pk", None) if request is not None else None
    key = (module.pk, get_language(), heading_level, site)
    return mark_safe(remembered("module_cards", key, render))  # rendered by our template
