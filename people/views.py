from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from people.personal_data import export_filename, personal_data_export


@require_POST
def language_set(request):
    """Switch the interface language; a signed-in user's choice is also saved on the account so
    that it follows them to other devices, e-mails and certificates."""
    response = set_language(request)
    language = request.POST.get("language")
    supported = {code for code, _name in settings.LANGUAGES}
    if request.user.is_authenticated and language in supported:
        request.user.preferred_language = language
        request.user.save(update_fields=["preferred_language"])
    return response


@login_required
def account_overview(request):
    return render(request, "people/account_overview.html")


@login_required
@require_POST
def personal_data_download(request):
    """Everything Vaardig holds about the signed-in person, as a ZIP (GDPR art. 15 and 20).
    A POST: producing it is recorded in the audit log."""
    data = personal_data_export(user=request.user, acting_user=request.user, via="self")
    return zip_response(data, export_filename(request.user))


def zip_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
