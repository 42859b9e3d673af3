import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import reverse
from django.views import View

from competencies.admin_views import CoverageView
from core.admin_menu import AdminPermissionMixin, PermissionMenuItem
from people.services import hr_group_setup
from tests.factories import UserFactory, two_factor_enable


def test_the_admin_menu_shows_hr_items_to_hr_only(client, frameworks, trainer):
    hr = UserFactory(email="hr@gemeente.example")
    hr.groups.add(hr_group_setup())
    two_factor_enable(hr)

    client.force_login(hr)
    hr_menu = client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(trainer)
    trainer_menu = client.get(reverse("wagtailadmin_home")).content.decode()

    for url in (
        reverse("people_roster_upload"),
        reverse("certificate:index"),
        reverse("competencies_coverage"),
    ):
        assert url in hr_menu
        assert url not in trainer_menu


def test_a_screen_that_names_no_permission_is_open_to_no_one(rf, django_user_model):
    class Forgotten(AdminPermissionMixin, View):
        def get(self, request):
            return HttpResponse("open")

    request = rf.get("/")
    request.user = django_user_model.objects.create_superuser(email="beheer@gemeente.example")

    with pytest.raises(PermissionDenied):
        Forgotten.as_view()(request)


def test_a_menu_item_is_shown_to_those_its_screen_lets_in(rf, hr, trainer):
    item = PermissionMenuItem("Coverage", "competencies_coverage")
    request = rf.get("/")

    request.user = hr
    assert item.is_shown(request) and CoverageView.user_may_open(hr)
    request.user = trainer
    assert not item.is_shown(request) and not CoverageView.user_may_open(trainer)
