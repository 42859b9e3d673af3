import operator
from functools import reduce

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from competencies.models import Band, Competence
from content.access import (
    ModulePageManager,
    module_seen,
    owner_field,
    page_permissions_for,
)
from content.blocks import ObjectivesBlock
from content.branding import OrganisationBranding  # noqa: F401 (a model of this app)
from content.choices import Duration
from content.forms import CatalogueFilterForm, OrganisationPageForm
from content.routing import RememberedRoutes, page_tree_changed, remembered
from content.translations import (
    LanguageVersionsMixin,
    best_versions,
    language_of,
    source_of,
)
from content.video import Video  # noqa: F401  (the site's media model, WAGTAILMEDIA)
from core.tree import parent_path
from people.access import organisations_seen


def _below_any(paths) -> models.Q:
    """Pages below any of the tree ``paths`` (a page and its translations)."""
    return reduce(operator.or_, (models.Q(path__startswith=path) for path in paths))


class HomePage(RememberedRoutes, LanguageVersionsMixin, Page):
    """The start page of an organisation's learning site."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["content.CataloguePage", "content.StatementPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        catalogue = catalogue_below(self)
        context["catalogue"] = catalogue
        # Modules to start with, for a visitor; a signed-in learner's home shows their own.
        signed_in = request.user.is_authenticated
        context["modules"] = (
            catalogue.modules(request.user)[:3] if catalogue and not signed_in else []
        )
        return context


class CataloguePage(RememberedRoutes, LanguageVersionsMixin, Page):
    """All learning modules an organisation offers, with search and filters."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.ModulePage"]

    class Meta:
        verbose_name = _("catalogue")

    def _modules_in_every_language(self, user):
        """The live modules ``user`` may see below this catalogue and below its translations:
        the shared ones and their organisation's."""
        return (
            ModulePage.objects.live()
            .filter(_below_any(self._paths_in_every_language()), depth=self.depth + 1)
            .available_to(user)
            .select_related("cover_image")
        )

    def _paths_in_every_language(self) -> list[str]:
        """The tree paths of this catalogue and its translations (remembered with the tree)."""
        return remembered(
            "catalogue_paths",
            self.translation_key,
            lambda: list(
                Page.objects.filter(translation_key=self.translation_key)
                .order_by("path")
                .values_list("path", flat=True)
            ),
        )

    def modules(self, user, language: str | None = None) -> list:
        """Each module ``user`` may see once, in ``language`` (the reader's) where it has a
        live translation, otherwise in its source language; by title. The same for everyone
        who sees the same organisations, until the next change of the page tree: remembered
        with it (content.routing)."""
        language = language or translation.get_language()
        seen = organisations_seen(user)
        key = (self.translation_key, language, None if seen is None else tuple(sorted(seen)))
        return remembered(
            "catalogue_modules",
            key,
            lambda: self._best_of(self._modules_in_every_language(user), language),
        )

    @staticmethod
    def _best_of(modules, language: str | None) -> list:
        language = language or translation.get_language()
        chosen = best_versions(modules.order_by("pk"), language)
        return sorted(chosen, key=lambda module: module.title.casefold())

    def search_modules(self, *, user, query: str = "", level: str = "", duration: str = ""):
        """Modules ``user`` may see matching the filters and the search words, in any of their
        languages, each shown once in the reader's language (``modules``). A module also
        matches when one of its lessons does, so a search for a term used in a lesson finds
        its module."""
        if not (query or level or duration):
            return self.modules(user)
        modules = self._modules_in_every_language(user)
        if level:
            modules = modules.filter(level_band=level)
        if duration:
            low, high = Duration(duration).minute_range
            modules = modules.filter(estimated_minutes__gte=low)
            if high is not None:
                modules = modules.filter(estimated_minutes__lte=high)
        if not query:
            return self._best_of(modules, None)
        found = {module.translation_key for module in modules.search(query, operator="and")}
        catalogue_paths = self._paths_in_every_language()
        lesson_paths = {
            parent_path(lesson.path, ModulePage.steplen)
            for lesson in LessonPage.objects.live()
            .filter(_below_any(catalogue_paths), depth=self.depth + 2)
            .search(query, operator="and")
        }
        found |= set(
            modules.filter(path__in=lesson_paths).values_list("translation_key", flat=True)
        )
        return self._best_of(modules.filter(translation_key__in=found), None)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        form = CatalogueFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        context["form"] = form
        context["filtered"] = any(filters.values())
        context["modules"] = self.search_modules(user=request.user, **filters)
        return context


def live_lessons() -> dict[str, list["LessonPage"]]:
    """The live lessons of every module in order, by the module's tree path (remembered:
    content.routing), with what lists of lessons show: title, address, first publication."""

    def load():
        lessons = {}
        for lesson in (
            LessonPage.objects.live()
            .order_by("path")
            .only(
                "id",
                "title",
                "path",
                "depth",
                "url_path",
                "first_published_at",
                "translation_key",
                "locale",
            )
        ):
            lessons.setdefault(parent_path(lesson.path, lesson.steplen), []).append(lesson)
        return lessons

    return remembered("lessons", None, load)


def module_organisations() -> dict[str, int | None]:
    """{tree path of a module: its organisation (None: shared)} for every module, remembered
    with the page tree (content.routing): what serving a lesson asks of its module."""
    return remembered(
        "module_organisations",
        None,
        lambda: dict(ModulePage.objects.values_list("path", "organisation_id")),
    )


def catalogue_below(home: Page) -> CataloguePage | None:
    """The live catalogue of a site's home page (remembered: content.routing)."""
    return remembered(
        "catalogues", home.pk, lambda: CataloguePage.objects.live().child_of(home).first()
    )


class ModulePage(RememberedRoutes, LanguageVersionsMixin, Page):
    """A short course on one topic of digital working, made of lessons."""

    summary = models.TextField(
        _("summary"), max_length=400, help_text=_("One or two sentences for the catalogue.")
    )
    objectives = StreamField(
        ObjectivesBlock(),
        verbose_name=_("learning objectives"),
        help_text=_("What a learner can do after the module, one objective per item."),
    )
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"), help_text=_("Time a learner needs for the whole module.")
    )
    level_band = models.CharField(
        _("level"), max_length=32, choices=Band.choices, default=Band.FOUNDATION
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cover_image_alt = models.CharField(
        _("cover image text alternative"),
        max_length=250,
        blank=True,
        help_text=_("Required with a cover image: what the image shows, for screen readers."),
    )
    audience = models.TextField(
        _("audience"), blank=True, help_text=_("Who the module is for, and what they need first.")
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Share of the questions of a lesson that must be answered correctly."),
    )
    grants_certificate = models.BooleanField(
        _("grants a certificate"),
        default=False,
        help_text=_("Completing the module gives the employee a PDF certificate."),
    )
    certificate_validity_months = models.PositiveSmallIntegerField(
        _("certificate valid for (months)"),
        null=True,
        blank=True,
        help_text=_("Empty: the certificate does not expire. Yearly training: 12."),
    )
    retries_allowed = models.BooleanField(
        _("retries allowed"),
        default=True,
        help_text=_("Whether a learner who fails a knowledge check may try again."),
    )
    organisation = owner_field(
        _(
            "Empty: a module of the shared catalogue, for every organisation. Otherwise a "
            "module of this organisation's own, which only its staff see."
        )
    )

    objects = ModulePageManager()
    base_form_class = OrganisationPageForm
    # Loaded with the page when it is served (content.routing): its template shows the cover.
    served_with = ("cover_image",)

    content_panels = [
        *Page.content_panels,
        FieldPanel("organisation"),
        FieldPanel("summary"),
        FieldPanel("objectives"),
        MultiFieldPanel(
            [FieldPanel("estimated_minutes"), FieldPanel("level_band"), FieldPanel("audience")],
            heading=_("For whom and how long"),
        ),
        MultiFieldPanel(
            [FieldPanel("cover_image"), FieldPanel("cover_image_alt")],
            heading=_("Cover image"),
        ),
        MultiFieldPanel(
            [FieldPanel("pass_mark"), FieldPanel("retries_allowed")],
            heading=_("Knowledge checks"),
        ),
        MultiFieldPanel(
            [FieldPanel("grants_certificate"), FieldPanel("certificate_validity_months")],
            heading=_("Certificate"),
        ),
        InlinePanel(
            "competences_developed",
            heading=_("Competences developed"),
            label=_("Competence"),
            help_text=_("Completing the module records this level as evidence."),
        ),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("objectives"),
        index.SearchField("audience"),
        index.FilterField("level_band"),
        index.FilterField("estimated_minutes"),
        index.FilterField("organisation"),
    ]

    parent_page_types = ["content.CataloguePage"]
    subpage_types = ["content.LessonPage"]

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(estimated_minutes__gt=0), name="module_minutes_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(cover_image__isnull=True) | ~models.Q(cover_image_alt=""),
                name="module_cover_has_alt_text",
            ),
            models.CheckConstraint(
                condition=models.Q(pass_mark__gte=1, pass_mark__lte=100),
                name="module_pass_mark_is_a_percentage",
            ),
        ]

    def clean(self):
        super().clean()
        if self.cover_image_id and not self.cover_image_alt.strip():
            raise ValidationError(
                {"cover_image_alt": _("Describe the cover image for people who cannot see it.")}
            )

    def lessons(self):
        return LessonPage.objects.live().child_of(self).order_by("path")

    def permissions_for_user(self, user):
        # Another organisation's own module: nothing may be done with it (content/access.py).
        return page_permissions_for(self, user)

    def serve(self, request, *args, **kwargs):
        # Another organisation's own module does not exist for this person (content/access.py).
        if not module_seen(self.organisation_id, organisations_seen(request.user)):
            raise Http404
        return super().serve(request, *args, **kwargs)

    def lessons_to_read(self, language: str | None = None) -> list:
        """The lessons of the module, in the order of its source, each in ``language`` (the
        reader's) where it has a live translation, otherwise in its source language: a
        lesson not translated yet is read in the original rather than left out."""
        language = language or translation.get_language()
        if not self.live or self.pk is None:
            return self._lessons_to_read(language)
        # Remembered with the page tree (content.routing): lessons come and go, and change
        # their titles, only by publishing, unpublishing, moving or deleting.
        return remembered("lessons_to_read", (self.pk, language), self._lessons_to_read, language)

    def _lessons_to_read(self, language: str) -> list:
        source = source_of(self)
        lessons = list(
            source.lessons().only(
                "id", "title", "path", "depth", "url_path", "translation_key", "locale"
            )
        )
        if language == language_of(source):
            return lessons
        translated = {
            lesson.translation_key: lesson
            for lesson in LessonPage.objects.live()
            .filter(
                translation_key__in=[lesson.translation_key for lesson in lessons],
                locale__language_code=language,
            )
            .only("id", "title", "path", "depth", "url_path", "translation_key", "locale")
        }
        return [translated.get(lesson.translation_key, lesson) for lesson in lessons]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["lessons"] = self.lessons_to_read()
        context["competences_developed"] = self.competences_in_order()
        return context

    def competences_in_order(self) -> list:
        """The competences the module develops, by code. A live module's are remembered with
        the page tree: they are saved with the module when it is published."""

        def load():
            return list(
                self.competences_developed.select_related("competence").order_by("competence__code")
            )

        if not self.live or self.pk is None:
            return load()
        return remembered("competences_developed", self.pk, load)


class ModuleCompetence(Orderable):
    """A competence a module develops, and the level its completion shows."""

    module = ParentalKey(ModulePage, on_delete=models.CASCADE, related_name="competences_developed")
    competence = models.ForeignKey(
        "competencies.Competence",
        verbose_name=_("competence"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    level_awarded = models.PositiveSmallIntegerField(
        _("level awarded"), validators=[MinValueValidator(1), MaxValueValidator(8)]
    )

    panels = [FieldPanel("competence"), FieldPanel("level_awarded")]

    class Meta(Orderable.Meta):
        verbose_name = _("competence developed")
        verbose_name_plural = _("competences developed")
        constraints = [
            models.UniqueConstraint(fields=["module", "competence"], name="module_competence_once"),
            models.CheckConstraint(
                condition=models.Q(level_awarded__gte=1, level_awarded__lte=8),
                name="module_competence_level_1_8",
            ),
        ]

    def __str__(self):
        return f"{self.competence} → {self.level_awarded}"


@receiver(post_save, sender=Competence)
@receiver(post_delete, sender=Competence)
@receiver(post_save, sender=ModuleCompetence)
@receiver(post_delete, sender=ModuleCompetence)
def _competences_changed(sender, **kwargs):
    # A module page shows the titles of the competences it develops, and the route to a
    # role's targets is chosen from what modules develop, both remembered with the page
    # tree: a competence renamed in the framework or a module's levels changed show from the
    # next request.
    page_tree_changed()


# Page types of modules of their own: the lessons, the privacy and accessibility statements.
from content.lessons import LessonPage  # noqa: E402
from content.statements import StatementPage  # noqa: E402, F401
