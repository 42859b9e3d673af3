"""The privacy statement and the accessibility statement: pages the organisation writes and
keeps up to date in Wagtail, linked from the footer of every page of the site.

Dutch and German public bodies must publish an accessibility statement (Besluit digitale
toegankelijkheid overheid; BITV 2.0 § 7), and the GDPR (art. 13) asks for the privacy
statement; both are the organisation's own words, so they are pages, not templates.

Several organisations share one site, and each is the controller of its own staff's data:
a statement is the installation's, for everyone (no organisation), or one organisation's
own, which its staff are shown instead. Someone not signed in, or signed in without an
employee record, is shown the installation's; where there is none of a kind, every
organisation's of that kind, each by its title."""

from typing import NamedTuple

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page, Site

from content.access import owner_field
from content.forms import StatementPageForm
from content.routing import RememberedRoutes, remembered
from content.translations import LanguageVersionsMixin, in_language


class StatementKind(models.TextChoices):
    PRIVACY = "privacy", _("Privacy statement")
    ACCESSIBILITY = "accessibility", _("Accessibility statement")


STATEMENT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class StatementPage(RememberedRoutes, LanguageVersionsMixin, Page):
    """A statement the organisation owes its staff and the public: what it does with personal
    data, or how accessible the site is. Written in the site's language and translated like
    the modules; the footer links the first published one of each kind below the site's home
    page that is for the reader (see the module's docstring), in the reader's language where
    it is translated."""

    kind = models.CharField(_("kind"), max_length=20, choices=StatementKind.choices)
    organisation = owner_field(
        _(
            "Empty: the statement of the whole site, for every organisation without one of "
            "its own. Otherwise this organisation's own, which its staff are shown instead."
        )
    )
    last_reviewed = models.DateField(
        _("last reviewed"),
        help_text=_("The day the statement was last checked against the site. Shown with it."),
    )
    body = RichTextField(_("text"), features=STATEMENT_FEATURES)

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("organisation"),
        FieldPanel("last_reviewed"),
        FieldPanel("body"),
    ]

    base_form_class = StatementPageForm
    parent_page_types = ["content.HomePage"]
    subpage_types = []
    template = "content/statement_page.html"

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")


class FooterStatement(NamedTuple):
    page: StatementPage
    # Named beside the title where the reader is shown several organisations' of a kind.
    organisation: str


def footer_statements(
    site: Site | None, language: str | None = None, organisation_id: int | None = None
) -> list[FooterStatement]:
    """The published statements of a site for a reader of ``organisation_id`` (None: not
    signed in, or no employee record), privacy first: of each kind the organisation's own,
    else the installation's, else (for a reader of no organisation) every organisation's. Each
    in ``language`` (the reader's) where it has a live translation, else in the language it
    was written in: what the footer links, remembered with the page tree. A statement is
    linked while the original (below the site's home page) is published; none of a kind when
    nobody published one for the reader (the footer then shows no link)."""
    if site is None:
        return []
    language = language or translation.get_language()

    def load():
        pages = (
            StatementPage.objects.live()
            .public()
            .child_of(site.root_page)
            .select_related("organisation")
            .order_by("pk")
        )
        own, shared, every = {}, {}, {}
        for page in pages:
            if page.organisation_id is None:
                shared.setdefault(page.kind, page)
                continue
            if page.organisation_id == organisation_id:
                own.setdefault(page.kind, page)
            every.setdefault((page.kind, page.organisation.name, page.organisation_id), page)
        chosen = []  # (page, the organisation to name beside it)
        for kind in StatementKind.values:  # privacy first
            if kind in own or kind in shared:
                chosen.append((own.get(kind) or shared[kind], ""))
            elif organisation_id is None:
                chosen += [
                    (page, name) for (of, name, _id), page in sorted(every.items()) if of == kind
                ]
        versions = in_language([page for page, _name in chosen], language)
        shown = [(versions[page.pk], name) for page, name in chosen]
        # A title that names its organisation already is not followed by the name again.
        return [FooterStatement(page, "" if name in page.title else name) for page, name in shown]

    # Remembered per generation of the page tree (content.routing): no query on most pages.
    return remembered("statements", (site.pk, language, organisation_id), load)


def privacy_statement_url(organisation_id: int, language: str) -> str | None:
    """The full address of the privacy statement the staff of ``organisation_id`` are linked
    to in ``language`` (the default site's; people's welcome e-mail names it)."""
    site = Site.objects.filter(is_default_site=True).first()
    for statement in footer_statements(site, language, organisation_id):
        if statement.page.kind == StatementKind.PRIVACY:
            return statement.page.get_full_url()
    return None
