"""What the templates ask of the page tree around a page, remembered with the tree
(content.routing) instead of queried on every request."""

from django import template

from content.routing import remembered

register = template.Library()


@register.simple_tag
def breadcrumb_ancestors(page):
    """The pages above ``page`` from its home page down (the tree's root left out). A live
    page's are remembered per generation of the page tree: they change only when a page above
    it is published, renamed or moved; a page in preview has them read afresh."""

    def load():
        return [ancestor for ancestor in page.get_ancestors() if not ancestor.is_root()]

    if not page.live or page.pk is None:
        return load()
    return remembered("ancestors", page.path, load)
