"""The rows of the team matrix, written in Python.

A manager's matrix has a cell per person and competence, a few hundred on a page; through
the template language each cell cost a dozen tags, filters and translations, most of the
page's time. The cells repeat (a handful of levels and targets), so each distinct cell is
made once per language and process, and a row is one joined string. The HTML is the one
the template wrote (tests/lms/test_team_and_compliance.py, test_team_matrix.py read it)."""

from functools import lru_cache

from django import template
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from lms.team.selectors import TeamCell, TeamRow

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


def _late(row: TeamRow) -> str:
    if not row.late:
        return f'<span class="hint">{escape(_("none"))}</span>'
    items = []
    for late in row.late:
        if late.completed_on:
            expired = date_filter(late.expires_on, "SHORT_DATE_FORMAT")
            when = f"{escape(late.state_label.lower())} {expired}"
        else:
            when = date_filter(late.due_on, "SHORT_DATE_FORMAT")
        items.append(f'<li>{escape(late.title)} <span class="hint">({when})</span></li>')
    return (
        f'<strong class="tag tag--overdue"><span aria-hidden="true">!</span> {len(row.late)}'
        f'</strong><ul class="team-table__late">{"".join(items)}</ul>'
    )


@register.simple_tag
def team_row(row: TeamRow) -> SafeString:
    """A person's row: their name (to their page) and unit, targets met, overdue training,
    self-assessments to discuss, and a cell per competence."""
    member = row.employee
    url = reverse("lms:team_member", args=[member.pk])
    name = escape(member.user.get_full_name())
    met = _("%(met)s of %(total)s") % {"met": row.targets_met, "total": row.targets}
    to_discuss = row.open_self_assessments
    if to_discuss:
        words = ngettext("%(counter)s to discuss", "%(counter)s to discuss", to_discuss) % {
            "counter": to_discuss
        }
        discuss = (
            f'<a href="{url}">{escape(words)}<span class="visually-hidden">: {name}</span></a>'
        )
    else:
        discuss = f'<span class="hint">{escape(_("none"))}</span>'
    return mark_safe(
        f'<tr><th scope="row" class="team-table__name"><a href="{url}">{name}</a><br>'
        f'<span class="hint">{escape(member.org_unit.name)}</span></th>'
        f"<td>{escape(met)}</td><td>{_late(row)}</td><td>{discuss}</td>"
        f"{team_cells(row.cells)}</tr>"
    )
