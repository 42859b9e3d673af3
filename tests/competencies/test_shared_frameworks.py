"""The frameworks are shared by every organisation: an HR adviser reads them, and only the
platform administrator changes them or adds one, since a change reaches every organisation
(core/admin_views.py SharedPermissionPolicy)."""

from django.urls import reverse

from competencies.models import Competence, Framework


def _form(framework, **changes) -> dict:
    fields = ["code", "version", "title_nl", "title_de", "title_en", "licence", "source"]
    fields += ["attribution_nl", "attribution_de", "attribution_en"]
    return {**{field: getattr(framework, field) for field in fields}, **changes}


def test_an_hr_adviser_reads_the_shared_frameworks_and_cannot_change_them(
    client, hr, platform_admin, frameworks
):
    digcomp = Framework.objects.get(code="digcomp")
    competence = Competence.objects.filter(area__framework=digcomp).first()
    client.force_login(hr)

    listed = client.get(reverse("framework:index"))
    refused = [
        client.get(reverse("framework:edit", args=[digcomp.pk])),
        client.post(reverse("framework:edit", args=[digcomp.pk]), _form(digcomp, title_nl="X")),
        client.get(reverse("framework:add")),
        client.get(reverse("competence:edit", args=[competence.pk])),
        client.post(reverse("framework:delete", args=[digcomp.pk])),
    ]
    client.force_login(platform_admin)
    changed = client.post(
        reverse("framework:edit", args=[digcomp.pk]), _form(digcomp, licence="CC BY 4.0")
    )

    assert listed.status_code == 200 and digcomp.title_nl in listed.content.decode()
    assert [response.status_code for response in refused] == [302] * 5
    assert {response["Location"] for response in refused} == {reverse("wagtailadmin_home")}
    assert changed.status_code == 302
    digcomp.refresh_from_db()
    assert (digcomp.title_nl != "X", digcomp.licence) == (True, "CC BY 4.0")
