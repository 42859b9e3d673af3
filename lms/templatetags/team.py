"""The cells of the team matrix, written in Python.

A manager's matrix has a cell per person and competence, a few hundred on a page; through
the template language each cell cost a dozen tags, filters and translations, most of the
page's time. The cells repeat (a handful of levels and targets), so each distinct cell is
made once per language and process and the row is one joined string."""

from functools import lru_cache

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lms.team.selectors import TeamCell

register = template.Library()


@lru_cache(maxsize=4096)
def _cell(cell: TeamCell | None, language: str) -> str:
    # ``language`` is part of the key only: the words come from the active language.
    if cell is None or not cell.target:
        return format_html(
            '<td class="team-cell team-cell--none"><span aria-hidden="true">·</span>'
            '<span class="visually-hidden">{}</span></td>',
            _("no target"),
        )
    level = cell.effective or "–"
    if cell.meets:
        return format_html(
            '<td class="team-cell team-cell--met"><span aria-hidden="true">✓</span> {}/{}'
            '<span class="visually-hidden"> {}</span></td>',
            level,
            cell.target,
            _("meets the target"),
        )
    self_note = ""
    if cell.open_self_assessment:
        self_note = format_html(
            '<br><span class="hint">{}</span>',
            _("self: %(level)s") % {"level": cell.self_rank},
        )
    return format_html(
        '<td class="team-cell team-cell--gap">{}/{}<span class="visually-hidden"> {}</span>{}</td>',
        level,
        cell.target,
        _("below the target"),
        self_note,
    )


@register.filter
def team_cells(cells: list[TeamCell | None]) -> SafeString:
    """A row's competence cells as table cells: met, below the target (with a
    self-assessment to discuss) or no target."""
    language = get_language()
    return mark_safe("".join(_cell(cell, language) for cell in cells))
