"""A lesson's blocks that read the same for everyone (text, headings, images, steps...),
rendered once per worker, language and generation of the page tree (content.routing) instead
of on every request. Knowledge checks show each learner their own answers and are always
rendered afresh; so is everything in a preview."""

from django import template
from django.utils.translation import get_language

from content.routing import remembered

register = template.Library()


@register.simple_tag(takes_context=True)
def include_block_remembered(context, page, block):
    def render():
        return block.render_as_block(context=context.flatten())

    request = context.get("request")
    if getattr(request, "is_preview", False) or page.live_revision_id is None:
        return render()
    return remembered("blocks", (page.pk, page.live_revision_id, block.id, get_language()), render)
