from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_POST
from django.views.i18n import set_language


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
