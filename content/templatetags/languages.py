"""Marking content that is not in the reader's language (WCAG 3.1.2): a module or lesson not
translated yet is shown in its source language, and its text says so with ``lang``."""

from django import template
from django.db.models import Q
from django.utils.html import format_html
from django.utils.translation import get_language
from wagtail.models import Page

from content.translations import language_of

register = template.Library()


@register.simple_tag
def lang_attr(page):
    """`` lang="nl"`` on an element holding ``page``'s text when that is not the language of
    the page around it (the reader's), else nothing."""
    if untranslated(page):
        return format_html(' lang="{}"', language_of(page))
    return ""


@register.filter
def untranslated(page) -> bool:
    """Whether ``page`` is shown in another language than the reader's."""
    return bool(page is not None and language_of(page) != get_language())


@register.simple_tag
def reader_ancestors(page) -> list:
    """The pages above ``page`` (the tree's root left out) for the breadcrumb. Above a page
    shown in its source language, each in the reader's language where it has a live
    translation (the German catalogue above a Dutch module not translated yet), found in the
    one query that finds the pages above."""
    if not untranslated(page):
        return [ancestor for ancestor in page.get_ancestors() if not ancestor.is_root()]
    reader = get_language()
    step = page.steplen
    paths = [page.path[:end] for end in range(2 * step, len(page.path), step)]
    found = Page.objects.filter(
        Q(path__in=paths)
        | Q(
            translation_key__in=Page.objects.filter(path__in=paths).values("translation_key"),
            locale__language_code=reader,
            live=True,
        )
    ).select_related("locale")
    ancestors, translated = [], {}
    for candidate in found:
        if candidate.path in paths:
            ancestors.append(candidate)
        if candidate.locale.language_code == reader:
            translated[candidate.translation_key] = candidate
    ancestors.sort(key=lambda ancestor: ancestor.depth)
    return [translated.get(ancestor.translation_key, ancestor) for ancestor in ancestors]
