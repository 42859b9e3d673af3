"""The privacy statement and the accessibility statement: pages the organisation writes and
keeps up to date in Wagtail, linked from the footer of every page of the site.

Dutch and German public bodies must publish an accessibility statement (Besluit digitale
toegankelijkheid overheid; BITV 2.0 § 7), and the GDPR (art. 13) asks for the privacy
statement; both are the organisation's own words, so they are pages, not templates."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page, Site

from content.routing import RememberedRoutes, remembered
from content.translations import LanguageVersionsMixin


class StatementKind(models.TextChoices):
    PRIVACY = "privacy", _("Privacy statement")
    ACCESSIBILITY = "accessibility", _("Accessibility statement")


STATEMENT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class StatementPage(RememberedRoutes, LanguageVersionsMixin, Page):
    """A statement the organisation owes its staff and the public: what it does with personal
    data, or how accessible the site is. The footer links the first published one of each
    kind below the site's home page."""

    kind = models.CharField(_("kind"), max_length=20, choices=StatementKind.choices)
    last_reviewed = models.DateField(
        _("last reviewed"),
        help_text=_("The day the statement was last checked against the site. Shown with it."),
    )
    body = RichTextField(_("text"), features=STATEMENT_FEATURES)

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("last_reviewed"),
        FieldPanel("body"),
    ]

    parent_page_types = ["content.HomePage"]
    subpage_types = []
    template = "content/statement_page.html"

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")


def footer_statements(site: Site | None) -> list[StatementPage]:
    """The published statements of a site, privacy first: what the footer links, remembered
    with the page tree; none when the organisation has not published them (the footer then
    shows no link)."""
    if site is None:
        return []

    def load():
        order = {kind: index for index, kind in enumerate(StatementKind.values)}
        pages = StatementPage.objects.live().public().child_of(site.root_page).order_by("pk")
        first = {}
        for page in pages:
            first.setdefault(page.kind, page)
        return sorted(first.values(), key=lambda page: order[page.kind])

    # Remembered per generation of the page tree (content.routing): no query on most pages.
    return remembered("statements", site.pk, load)
