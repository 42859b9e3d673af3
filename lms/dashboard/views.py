"""The management dashboard on the site, and its PDF for a council meeting."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from competencies.trend_chart import trend_chart
from core.ids import id_from_text
from lms.certificates.pdf import html_to_pdf
from lms.dashboard.selectors import management_dashboard
from people.access import organisations
from people.models import OrgUnit
from people.services import DASHBOARD_PERMISSION


def _organisation(request) -> tuple[OrgUnit | None, list[OrgUnit]]:
    """The organisation asked for (``?organisation=id``) among those the person administers,
    or the first of them; another organisation's id, or no id at all, answers 404."""
    if not request.user.has_perm(DASHBOARD_PERMISSION):
        raise PermissionDenied
    own = list(organisations(request.user))
    asked = request.GET.get("organisation")
    if not asked:
        return (own[0] if own else None), own
    chosen = next((o for o in own if o.pk == id_from_text(asked)), None)
    if chosen is None:  # not one of theirs, or not an id: the same answer
        raise Http404(_("There is no such organisation among yours."))
    return chosen, own


def _context(request):
    organisation, own = _organisation(request)
    if organisation is None:
        return {"organisations": own, "dashboard": None}
    dashboard = management_dashboard(
        organisation=organisation, threshold=settings.COVERAGE_PRIVACY_THRESHOLD
    )
    return {
        "organisations": own,
        "organisation": organisation,
        "dashboard": dashboard,
        "chart": trend_chart(dashboard.organisation.trend),
        "threshold": dashboard.threshold,
    }


@login_required
def dashboard(request):
    """Where the organisation stands, for its CDO and management: groups only, no names."""
    return render(request, "lms/dashboard.html", _context(request))


@login_required
def dashboard_pdf(request):
    """The same figures as a PDF to hand round at a council meeting, in the reader's
    language."""
    context = _context(request)
    if context["dashboard"] is None:
        raise Http404(_("You administer no organisation."))
    html = render_to_string("lms/dashboard_pdf.html", context, request=request)
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    name = f"dashboard-{slugify(context['organisation'].name)}-{timezone.localdate():%Y-%m-%d}"
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response
