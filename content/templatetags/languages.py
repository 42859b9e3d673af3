"""Marking content that is not in the reader's language (WCAG 3.1.2): a module or lesson not
translated yet is shown in its source language, and its text says so with ``lang``."""

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

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
