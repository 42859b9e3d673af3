"""Setting up an organisation's learning site and its editorial roles."""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    PageViewRestriction,
    Site,
    Workflow,
)

from content.models import CataloguePage, HomePage
from content.translations import live_translation, page_translation_publish

TRAINERS = "Trainers"
CONTENT_LEADS = "Content leads"

# Trainers write and submit; content leads also publish. Both only below the catalogue.
_PAGE_PERMISSIONS = {
    TRAINERS: ["add_page", "change_page"],
    CONTENT_LEADS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}
_SITE_PAGE_PERMISSIONS = ["change_page", "publish_page"]
# Videos (wagtailmedia) have no "choose" permission: its chooser offers the videos one may
# change, so trainers may change the videos of the collection, as they may change any module.
_MEDIA_PERMISSIONS = [
    "add_image",
    "choose_image",
    "add_document",
    "choose_document",
    "add_media",
    "change_media",
]


@transaction.atomic
def site_setup(
    *, site_name: str, hostname: str = "localhost", port: int = 80, language: str = "nl"
) -> CataloguePage:
    """Create (or find) the home page, the catalogue, the site record, the editorial groups and
    the review workflow. Safe to run again: what exists is left as it is. The pages are written
    in the organisation's content ``language``."""
    with translation.override(language):
        return _site_setup(site_name=site_name, hostname=hostname, port=port)


def _site_setup(*, site_name: str, hostname: str, port: int) -> CataloguePage:
    root = Page.get_first_root_node()
    home = HomePage.objects.child_of(root).first()
    if home is None:
        # Wagtail's installation page ("Welcome to your new Wagtail site!") is replaced.
        for placeholder in Page.objects.child_of(root).filter(content_type__model="page"):
            Site.objects.filter(root_page=placeholder).delete()
            placeholder.delete()
        home = root.add_child(
            instance=HomePage(
                title=site_name,
                slug="home",
                intro=_(
                    "<p>Short, practical modules on digital working, and a clear view of "
                    "the digital skills your role asks for.</p>"
                ),
            )
        )
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "root_page": home,
            "hostname": hostname,
            "port": port,
            "site_name": site_name,
        },
    )
    catalogue = CataloguePage.objects.child_of(home).first()
    if catalogue is None:
        catalogue = home.add_child(
            instance=CataloguePage(
                title=_("Catalogue"),
                slug="catalogus",
                intro=_("<p>All modules of your organisation. Search or filter to find one.</p>"),
            )
        )
    # Modules are for staff only: the catalogue and everything below it need a login.
    PageViewRestriction.objects.get_or_create(
        page=catalogue, restriction_type=PageViewRestriction.LOGIN
    )
    _translations_setup(home, catalogue)
    _editorial_groups_setup(catalogue)
    return catalogue


def _translations_setup(home: HomePage, catalogue: CataloguePage) -> None:
    """The home page and the catalogue in every content language, so that each language has
    its own addresses (/de/katalog/...) and translated modules have a place to go. Their
    texts are the interface's own translations; the catalogue's login restriction holds in
    every language."""
    for language, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.get_or_create(language_code=language)
        if language == home.locale.language_code:
            continue
        with translation.override(language):
            translated_home = live_translation(home, language) or page_translation_publish(
                source=home,
                language=language,
                fields={
                    "title": home.title,
                    "slug": f"home-{language}",
                    "intro": _(
                        "<p>Short, practical modules on digital working, and a clear view of "
                        "the digital skills your role asks for.</p>"
                    ),
                },
            )
            translated = live_translation(catalogue, language) or page_translation_publish(
                source=catalogue,
                language=language,
                fields={
                    "title": _("Catalogue"),
                    "slug": slugify(_("Catalogue")),
                    "intro": _(
                        "<p>All modules of your organisation. Search or filter to find one.</p>"
                    ),
                },
            )
        assert translated.get_parent().pk == translated_home.pk
        PageViewRestriction.objects.get_or_create(
            page=translated, restriction_type=PageViewRestriction.LOGIN
        )


def _editorial_groups_setup(catalogue: CataloguePage) -> None:
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    root_collection = Collection.get_first_root_node()
    groups = {}
    # Both translate modules (wagtail-localize's "submit for translation", the segment editor,
    # PO export and import), in every language's catalogue.
    submit_translation = Permission.objects.get(
        content_type__app_label="wagtail_localize", codename="submit_translation"
    )
    catalogues = list(Page.objects.filter(translation_key=catalogue.translation_key))
    homes = list(Page.objects.filter(translation_key=catalogue.get_parent().translation_key))
    for name, codenames in _PAGE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin, submit_translation)
        for codename in codenames:
            for page in catalogues:
                GroupPagePermission.objects.get_or_create(
                    group=group,
                    page=page,
                    permission=Permission.objects.get(
                        content_type__app_label="wagtailcore", codename=codename
                    ),
                )
        if name == CONTENT_LEADS:
            # Content leads also keep the pages around the catalogue: the home page and the
            # privacy and accessibility statements below it, in every language.
            for page in homes:
                for codename in _SITE_PAGE_PERMISSIONS:
                    GroupPagePermission.objects.get_or_create(
                        group=group,
                        page=page,
                        permission=Permission.objects.get(
                            content_type__app_label="wagtailcore", codename=codename
                        ),
                    )
        # The certificates' branding of the organisations they administer.
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="content",
                codename__in=["view_organisationbranding", "change_organisationbranding"],
            )
        )
        for codename in _MEDIA_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=root_collection,
                permission=Permission.objects.get(codename=codename),
            )
        groups[name] = group

    # The review step of the default moderation workflow is done by the content leads.
    workflow = Page.get_first_root_node().get_workflow()
    if workflow is None:
        workflow = Workflow.objects.create(name="Moderators approval", active=True)
        workflow.workflow_pages.create(page=Page.get_first_root_node())
    task = GroupApprovalTask.objects.filter(workflow_tasks__workflow=workflow).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name="Review by a content lead")
        workflow.workflow_tasks.create(task=task, sort_order=0)
    task.groups.add(groups[CONTENT_LEADS])
