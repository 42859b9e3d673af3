"""The lesson page: one step of a module, with its text, media and knowledge-check questions.
A page type of the content app (content/models.py imports it)."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from content.access import LessonPageManager, module_seen, page_permissions_for
from content.blocks import LessonBodyBlock
from content.models import module_organisations  # defined before models.py imports this
from content.routing import RememberedRoutes, remembered
from content.translations import (
    LanguageVersionsMixin,
    live_translation,
    question_mismatch,
    source_of,
)
from core.tree import parent_path
from people.access import organisations_seen


class LessonPage(RememberedRoutes, LanguageVersionsMixin, Page):
    """One step of a module: text, media and knowledge-check questions."""

    body = StreamField(LessonBodyBlock(), verbose_name=_("body"))

    objects = LessonPageManager()

    content_panels = [
        HelpPanel(
            content=_(
                "A lesson is reviewed with its module: save your changes as a draft, then "
                "submit the module for review. Its approval publishes the module with the "
                "latest version of every lesson."
            )
        ),
        *Page.content_panels,
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("body")]

    parent_page_types = ["content.ModulePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    # A lesson is reviewed with its module, in one review (content/review.py): it has no
    # workflow of its own, so Wagtail offers no "Submit for review" for it.
    @property
    def has_workflow(self):
        return False

    def get_workflow(self):
        return None

    def clean(self):
        super().clean()
        # The grading and the per-question statistics use the source's questions and options
        # by id, in every language: a translation must have exactly those.
        if self.pk and not self.alias_of_id:
            source = source_of(self)
            if source.pk != self.pk:
                stored = LessonPage.objects.filter(pk=self.pk).first()
                problem = question_mismatch(source.body, self.body, stored and stored.body)
                if problem:
                    raise ValidationError({"body": problem})

    def save(self, *args, **kwargs):
        # Answers to knowledge checks refer to option ids. Raw stream data written by a script
        # may lack them, and Wagtail would then invent new ids on every read; converting every
        # block once before saving stores a permanent id for each option.
        list(self.body)
        super().save(*args, **kwargs)

    def permissions_for_user(self, user):
        # A lesson of another organisation's own module: likewise (content/access.py).
        return page_permissions_for(self, user)

    def serve(self, request, *args, **kwargs):
        # A lesson of another organisation's own module does not exist for this person.
        owner = module_organisations().get(parent_path(self.path, self.steplen))
        if not module_seen(owner, organisations_seen(request.user)):
            raise Http404
        return super().serve(request, *args, **kwargs)

    def questions(self) -> dict:
        """The knowledge-check questions of this lesson by block id, in page order."""
        return {block.id: block.value for block in self.body if block.block_type == "question"}

    def position(self) -> dict:
        """Where this lesson sits in its module: number, total, previous and next lesson.
        A draft lesson shown in preview is not among the live lessons and has no number.
        The module and the other lessons are those in the reader's language, where they are
        translated. A live lesson's position is remembered with the page tree
        (content.routing): it changes only when a page of the module is published,
        unpublished or moved."""
        if not self.live or self.pk is None:
            return self._position()
        language = translation.get_language()
        return remembered("positions", (self.pk, self.path, language), self._position)

    def _position(self) -> dict:
        module = self.get_parent().specific
        module = live_translation(module, translation.get_language()) or module
        lessons = module.lessons_to_read()
        keys = [lesson.translation_key for lesson in lessons]
        index = keys.index(self.translation_key) if self.translation_key in keys else None
        return {
            "module": module,
            "lesson_number": index + 1 if index is not None else None,
            "lesson_total": len(lessons),
            "previous_lesson": lessons[index - 1] if index else None,
            "next_lesson": lessons[index + 1]
            if index is not None and index + 1 < len(lessons)
            else None,
        }

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.position())
        return context
