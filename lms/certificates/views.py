from allauth.account.adapter import get_adapter
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import translation
from django.views.decorators.cache import never_cache

from competencies.selectors import skills_overview
from core.kept_pages import learner_page
from lms.certificates.pdf import certificate_pdf_response, html_to_pdf
from lms.models import Certificate, Enrolment
from people.models import Employee

# Guessing public ids is limited per IP address: this many unknown ids per window.
VERIFY_MISSES_ALLOWED = 20
VERIFY_WINDOW_SECONDS = 600


@learner_page
@login_required
def my_certificates(request):
    certificates = Certificate.objects.filter(enrolment__learner=request.user).order_by(
        "-completed_on"
    )
    return render(request, "lms/my_certificates.html", {"certificates": certificates})


@login_required
def certificate_download(request, certificate_id):
    # Someone else's certificate is "not found": ids of others are not confirmed to exist.
    # A revoked certificate's PDF is HR's alone (the register); earlier versions of a
    # re-issued one have no address here at all.
    certificate = get_object_or_404(
        Certificate, pk=certificate_id, enrolment__learner=request.user, revoked_at__isnull=True
    )
    if not certificate.pdf:
        raise Http404
    return certificate_pdf_response(certificate.pdf.name, number=certificate.number)


@login_required
def transcript(request):
    """All completed modules and current competence levels of the signed-in employee."""
    completed = (
        Enrolment.objects.filter(learner=request.user, completed_at__isnull=False)
        .select_related("module")
        .order_by("completed_at")
    )
    employee = Employee.objects.filter(user=request.user).first()
    with translation.override(request.user.preferred_language):
        html = render_to_string(
            "lms/transcript_pdf.html",
            {
                "learner": request.user,
                "completed": completed,
                "frameworks": skills_overview(employee=employee) if employee else [],
                "certificates": {
                    c.enrolment_id: c
                    for c in Certificate.objects.filter(enrolment__learner=request.user)
                },
            },
        )
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="transcript.pdf"'
    return response


@never_cache
def certificate_verify(request, public_id):
    """Public: whether a certificate is genuine, and nothing more than the facts on it.
    Guessing ids is limited per client address, taken as the login limits take it (behind
    the proxy: the address the proxy reports). Only unknown ids count, and a genuine id
    always answers: a colleague's office behind one address is never refused."""
    certificate = Certificate.objects.filter(public_id=public_id).first()
    if certificate is not None:
        response = render(request, "lms/certificate_verify.html", {"certificate": certificate})
    else:
        key = f"verify-misses:{get_adapter(request).get_client_ip(request)}"
        cache.add(key, 0, VERIFY_WINDOW_SECONDS)
        if cache.incr(key) > VERIFY_MISSES_ALLOWED:
            context, status = {"limited": True}, 429
        else:
            context, status = {"certificate": None}, 404
        response = render(request, "lms/certificate_verify.html", context, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
