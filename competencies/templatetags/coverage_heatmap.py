"""The rows of the coverage heatmap, written in Python.

The heatmap has a cell per unit and competence, each with its band, the headers that tie it
to its unit, area and competence for a screen reader, its figures and, for holders of the
names permission, the link to the people behind it. Through the template language each cell
cost about twenty tags and filters, most of the coverage page's time; here a row is one
string. The HTML is the one the template wrote (tests/competencies/test_coverage_view.py
reads it)."""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag(takes_context=True)
def coverage_row(context, row, cells) -> SafeString:
    """One ``<tr>``: the unit (a link to its own page below the top row) and its cells."""
    unit = row.unit
    unit_pk = unit.pk
    name = escape(unit.name)
    if row.level:
        drill = context.get("drill_query")
        href = f"?unit={unit_pk}" + (f"&amp;{escape(drill)}" if drill else "")
        name = f'<a href="{href}">{name}</a>'
    html = [
        f'<tr><th scope="row" id="coverage-row-{unit_pk}" headers="coverage-unit" '
        f'class="coverage__unit coverage__unit--{row.level}">{name}</th>'
    ]
    names_url = context.get("names_url")
    role = context.get("role")
    role_query = f"&amp;role={role.pk}" if role else ""
    few = f'<span class="coverage__few">{escape(_("too few people"))}</span>'
    none = '<span class="coverage__none">—</span>'
    show_people = f'<span class="w-sr-only">{escape(_("(show the people)"))}</span></a>'
    for competence, cell in cells:
        html.append(
            f'<td class="heat heat--{cell.band}" headers="coverage-row-{unit_pk} '
            f"coverage-area-{competence.area_id} coverage-competence-{competence.pk}"
            '">'
        )
        linked = names_url and cell.total
        if linked:
            html.append(
                f'<a class="coverage__names" href="{escape(names_url)}?unit={unit_pk}'
                f'&amp;competence={competence.pk}{role_query}">'
            )
        if cell.too_few:
            html.append(few)
        elif cell.total:
            html.append(
                f'<strong>{cell.share}%</strong><br><span class="coverage__count">'
                f"{cell.met}/{cell.total}</span>"
            )
        else:
            html.append(none)
        if linked:
            html.append(show_people)
        html.append("</td>")
    html.append("</tr>")
    return mark_safe("".join(html))
