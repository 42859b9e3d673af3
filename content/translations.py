"""One module, several languages.

A module is written in one language (its *source*, Dutch in the demo) and translated into the
others with wagtail-localize. Every translation of a page shares its ``translation_key``; the
source is the first of them, the page the translations were made from. What a learner does
belongs to the module, not to one language version of it: learning records always point to
the source page (``source_of``), whatever translation the learner read.

This module is also where the learner's view picks a language: each page in the learner's
language where a live translation exists, otherwise in its source language
(``best_versions``), and where a translation is made from given texts
(``page_translation_publish``, used by the demo loader).
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.blocks import StreamValue
from wagtail.fields import StreamField
from wagtail.models import Locale, Page

from content.routing import remembered

_locale_languages: dict[int, str] = {}


def language_of(page: Page) -> str:
    """The language code of a page's content, without a query per page (the few locales are
    read once per process, and again when one is added)."""
    if page.locale_id not in _locale_languages:
        _locale_languages.update(Locale.objects.values_list("pk", "language_code"))
    return _locale_languages.get(page.locale_id, "")


class TranslationMismatch(ValueError):
    """Texts for a translation that do not fit the source page's structure."""


def source_of(page: Page) -> Page:
    """The page in the language it was written in: the first page of its translation group.
    Returns the specific page; ``page`` itself when it is the source."""
    first = remembered(  # a page's group changes only with the page tree (content.routing)
        "sources",
        page.translation_key,
        lambda: (
            Page.objects.filter(translation_key=page.translation_key)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        ),
    )
    if first is None or first == page.pk:
        return page
    if type(page) is Page:
        return Page.objects.get(pk=first).specific
    return type(page).objects.get(pk=first)


def source_id(page_id: int) -> int:
    """The id of the source of the page with id ``page_id``, in one query."""
    group = Page.objects.filter(pk=page_id).values("translation_key")
    first = (
        Page.objects.filter(translation_key__in=group)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    return first if first is not None else page_id


def sources_of(pages: Iterable[Page]) -> dict[int, Page]:
    """{page id: its source} for many pages of one model, in at most two queries."""
    pages = list(pages)
    if not pages:
        return {}
    keys = tuple(sorted({str(p.translation_key) for p in pages}))

    def load():
        firsts = {}
        for pk, key in (
            Page.objects.filter(translation_key__in=keys)
            .order_by("-pk")
            .values_list("pk", "translation_key")
        ):
            firsts[str(key)] = pk  # the last one written here is the earliest
        return firsts

    # A page's group changes only with the page tree (content.routing).
    remembered_firsts = remembered("source_ids", keys, load)
    firsts = {p.translation_key: remembered_firsts[str(p.translation_key)] for p in pages}
    model = type(pages[0])
    missing = {firsts[p.translation_key] for p in pages} - {p.pk for p in pages}
    found = {p.pk: p for p in pages}
    found.update((p.pk, p) for p in model.objects.filter(pk__in=missing))
    return {p.pk: found[firsts[p.translation_key]] for p in pages}


def source_pages_q() -> Q:
    """Pages that are the source of their translations (for choosers and lists that name a
    module once: rules, paths, assignments, statistics)."""
    earlier = Page.objects.filter(
        translation_key=OuterRef("translation_key"), pk__lt=OuterRef("pk")
    )
    return ~Q(Exists(earlier))


def best_versions(pages: Iterable[Page], language: str) -> list[Page]:
    """One page per translation group among ``pages``: the one in ``language`` where there is
    one, otherwise the source (the earliest). Keeps the order of first appearance."""
    groups: dict = {}
    for page in pages:
        groups.setdefault(page.translation_key, []).append(page)
    chosen = []
    for group in groups.values():
        in_language = [p for p in group if language_of(p) == language]
        chosen.append(in_language[0] if in_language else min(group, key=lambda p: p.pk))
    return chosen


def live_translation(page: Page, language: str) -> Page | None:
    """The live translation of ``page`` in ``language`` (``page`` itself when it is in that
    language), or None."""
    if language_of(page) == language:
        return page
    found = remembered(  # which translation is live changes only with the page tree
        "live_translations",
        (page.translation_key, language),
        lambda: (
            Page.objects.live()
            .filter(translation_key=page.translation_key, locale__language_code=language)
            .values_list("pk", flat=True)
            .first()
        ),
    )
    if found is None:
        return None
    return type(page).objects.live().filter(pk=found).first()


def in_language(pages: Iterable[Page], language: str) -> dict[int, Page]:
    """{page id: its live translation in ``language``, else the page itself}, in one query,
    for lists that name modules by their source (Mijn leren, the home)."""
    pages = [page for page in pages if page is not None]
    if all(language_of(page) == language for page in pages):
        return {page.pk: page for page in pages}  # nothing to look for
    translated = {
        page.translation_key: page
        for page in type(pages[0])
        .objects.live()
        .filter(
            translation_key__in={p.translation_key for p in pages},
            locale__language_code=language,
        )
    }
    return {page.pk: translated.get(page.translation_key, page) for page in pages}


def alternates(page: Page) -> list[tuple[str, Page]]:
    """(language, page) for each live translation of ``page``, itself included: the
    hreflang links between the language versions (remembered with the page tree,
    content.routing: which translations are live changes only when one is published or
    unpublished)."""

    def load():
        translations = (
            Page.objects.live()
            .filter(translation_key=page.translation_key)
            .select_related("locale")
            .order_by("locale__language_code")
            .only("id", "path", "depth", "url_path", "translation_key", "locale__language_code")
        )
        return [(p.locale.language_code, p) for p in translations]

    return remembered("alternates", page.translation_key, load)


class LanguageVersionsMixin:
    """What every page tells its template about languages: the language of its content when
    it differs from the reader's (the templates mark that content with ``lang`` and say it is
    not translated yet), and its live translations for the hreflang links."""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        language = language_of(self)
        context["content_lang"] = "" if language == translation.get_language() else language
        context["alternates"] = alternates(self)
        return context


def question_structure(body) -> list[tuple[str, list[str]]]:
    """The knowledge-check questions of a lesson body as (question id, [option ids]): what
    grading and the per-question statistics rely on, in every language."""
    return [
        (block.id, [option.id for option in block.value["options"].bound_blocks])
        for block in body
        if block.block_type == "question"
    ]


def question_mismatch(source_body, translated_body, previous_body=None) -> str | None:
    """Why a translation's knowledge check does not match its source, or None when it does:
    the same questions with the same options, in the same order. ``previous_body`` is the
    translation as it was stored before: when its questions are those being saved, nobody
    changed them here, and it is the original that changed since it was translated."""
    source, translated = question_structure(source_body), question_structure(translated_body)
    if source == translated:
        return None
    if previous_body is not None and question_structure(previous_body) == translated:
        return _(
            "The questions of this lesson's original have changed since it was translated "
            "(the original has %(source)s questions, this translation %(translated)s). "
            "Translate the lesson again: open this translation, translate the new or "
            "changed questions in the translation editor and publish it there. Until then "
            "learners read this lesson in the original language."
        ) % {"source": len(source), "translated": len(translated)}
    source_ids, translated_ids = [q for q, _o in source], [q for q, _o in translated]
    if len(source) != len(translated) or source_ids != translated_ids:
        return _(
            "This translation's knowledge check does not have the same questions as the "
            "original (%(source)s questions, here %(translated)s). Translate the questions, "
            "do not add or remove them: grading uses the original's questions."
        ) % {"source": len(source), "translated": len(translated)}
    for number, ((_q, options), (_t, translated_options)) in enumerate(
        zip(source, translated, strict=True), start=1
    ):
        if options != translated_options:
            return _(
                "Question %(number)s of this translation does not have the same options as "
                "the original (%(source)s options, here %(translated)s). Translate the "
                "options, do not add or remove them."
            ) % {"number": number, "source": len(options), "translated": len(translated_options)}
    return None  # pragma: no cover - equal structures return above


def _with_source_ids(source, translated):
    """``translated`` (raw StreamField data, as the demo files give it: blocks without ids,
    list items as plain values) with the ids of the blocks and list items at the same place
    in ``source``, so that block N of a translation is the translation of block N."""
    if isinstance(source, list) and isinstance(translated, list):
        if len(source) != len(translated):
            raise TranslationMismatch(f"{len(translated)} items where the source has {len(source)}")
        aligned = []
        for src, tgt in zip(source, translated, strict=True):
            if isinstance(src, dict) and {"type", "value", "id"} <= set(src):
                value = tgt["value"] if isinstance(tgt, dict) and "type" in tgt else tgt
                if isinstance(tgt, dict) and "type" in tgt and tgt["type"] != src["type"]:
                    raise TranslationMismatch(
                        f"a {tgt['type']} block where the source has a {src['type']}"
                    )
                aligned.append(
                    {
                        "type": src["type"],
                        "id": src["id"],
                        "value": _with_source_ids(src["value"], value),
                    }
                )
            else:
                aligned.append(_with_source_ids(src, tgt))
        return aligned
    if isinstance(source, dict) and isinstance(translated, dict):
        return {key: _with_source_ids(source.get(key), value) for key, value in translated.items()}
    return translated


def page_translation_publish(*, source: Page, language: str, fields: dict, user=None) -> Page:
    """Create or update the ``language`` translation of ``source`` from the given texts and
    publish it, through wagtail-localize: the texts become the translation's strings, so the
    translation is edited in the segment editor afterwards, exported to PO and shown as out of
    date when the source changes, like one made by hand.

    ``fields`` names the translated fields (``title``, ``slug``, ``summary``, a StreamField as
    raw blocks in the source's order, ...); fields not named keep the source's text. The parent
    must have its translation already. Raises ``TranslationMismatch`` when the texts do not fit
    the source's structure (another number or kind of blocks, list items, questions or
    options), before anything is saved.
    """
    from wagtail_localize.models import (
        String,
        StringTranslation,
        TranslationContext,
        TranslationSource,
    )
    from wagtail_localize.models import Translation as LocalizeTranslation
    from wagtail_localize.segments import StringSegmentValue
    from wagtail_localize.segments.extract import extract_segments

    source = source.specific
    locale = Locale.objects.get(language_code=language)
    with transaction.atomic():
        translation_source, _created = TranslationSource.update_or_create_from_instance(source)
        original = translation_source.as_instance()
        translated = translation_source.as_instance()
        for name, value in fields.items():
            field = type(source)._meta.get_field(name)
            if isinstance(field, StreamField):
                value = _with_source_ids(getattr(original, name).get_prep_value(), value)
            setattr(translated, name, value)
        by_path: dict[str, tuple[list, list]] = {}
        for segment in extract_segments(original):
            if isinstance(segment, StringSegmentValue):
                by_path.setdefault(segment.path, ([], []))[0].append(segment)
        for segment in extract_segments(translated):
            if isinstance(segment, StringSegmentValue):
                by_path.setdefault(segment.path, ([], []))[1].append(segment)
        contexts = {
            context.path: context
            for context in TranslationContext.objects.filter(object_id=translation_source.object_id)
        }
        # A rich text given with another number of paragraphs than its source cannot be
        # split into the source's segments (nor a text wagtail-localize splits otherwise):
        # the page gets the text as given, and the segment editor shows those segments as
        # still to translate.
        uneven = False
        for originals, texts in by_path.values():
            if len(originals) != len(texts):
                uneven = True
                continue
            for segment, text in zip(originals, texts, strict=True):
                string = String.from_value(translation_source.locale, segment.string)
                StringTranslation.objects.update_or_create(
                    translation_of=string,
                    locale=locale,
                    context=contexts[segment.path],
                    defaults={
                        "data": text.string.data,
                        "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                        "last_translated_by": user,
                        "has_error": False,
                        "field_error": "",
                    },
                )
        localize, _created = LocalizeTranslation.objects.get_or_create(
            source=translation_source, target_locale=locale
        )
        page, _created = translation_source.create_or_update_translation(
            locale, user=user, publish=False, fallback=True
        )
        total, translated_count = localize.get_progress()
        if uneven or translated_count < total:
            for name in fields:
                if name != "slug":
                    setattr(page, name, getattr(translated, name))
            page.save_revision(user=user)
        page.get_latest_revision().publish(user=user)
    return type(source).objects.get(pk=page.pk)


def translation_source_refresh(sender, instance, **kwargs) -> None:
    """When a page that has been translated is published, wagtail-localize's copy of its
    source is brought up to date, so that its translations show as waiting for the changed
    and new texts (what "Sync translated pages" does by hand). The translations stay live as
    they are until a translator publishes them again."""
    from wagtail_localize.models import TranslationSource

    source = TranslationSource.objects.filter(
        object_id=instance.translation_key, locale_id=instance.locale_id
    ).first()
    if source is not None:
        source.update_from_db()
        revision = kwargs.get("revision")
        translations_out_of_step_unpublish(instance, user=revision.user if revision else None)


def translations_out_of_step_unpublish(source: Page, *, user=None) -> list[Page]:
    """The live translations of a lesson whose knowledge check no longer has the questions
    and options of ``source`` (just published with a question added, removed or changed),
    taken offline.

    Grading and the per-question statistics use the source's questions by id, so such a
    translation could not be passed: a learner would be asked to answer a question their
    page does not show. Offline, it is what a lesson not translated yet is: its readers get
    the source, marked with its language. It goes live again when a translator publishes the
    lesson translated anew (wagtail-localize builds it from the changed source)."""
    body = getattr(source, "body", None)
    if not isinstance(body, StreamValue) or source_of(source).pk != source.pk:
        # Only a lesson's body holds questions; a statement's is rich text.
        return []
    withdrawn = []
    for version in (
        type(source)
        .objects.live()
        .filter(translation_key=source.translation_key)
        .exclude(pk=source.pk)
    ):
        if question_mismatch(body, version.body):
            # A consequence of the source's publication, whoever published it: Wagtail's
            # page history records it in their name.
            UnpublishPageAction(version, user=user).execute(skip_permission_checks=True)
            withdrawn.append(version)
    return withdrawn
