"""Demo learning modules, read from ``content/demo_modules/*.json`` (see SCHEMA.md there), and
their German and English translations from ``de/`` and ``en/`` beside them: the same file
names, the same schema, the same lessons, blocks, questions and options in the same order."""

import datetime
import io
import json
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images import get_image_model

from competencies.models import Competence
from content.branding import OrganisationBranding
from content.models import CataloguePage, LessonPage, ModuleCompetence, ModulePage
from content.translations import (
    TranslationMismatch,
    live_translation,
    page_translation_publish,
)
from content.video import CAPTION_LANGUAGES, Video
from people.models import OrgUnit

DEMO_MODULES_DIR = Path(__file__).resolve().parent / "demo_modules"
# The demo's own video, its captions and transcripts (content/demo_media/make_video.py).
DEMO_MEDIA_DIR = Path(__file__).resolve().parent / "demo_media"
DEMO_VIDEOS = {
    "phishing-signalen": {
        "title": "Vijf signalen van phishing",  # in the media library
        # The title below the player, in each language of the lesson around it.
        "titles": {
            "nl": "Vijf signalen van phishing",
            "de": "Fünf Warnzeichen von Phishing",
            "en": "Five signs of phishing",
        },
        "width": 960,
        "height": 540,
        "duration": 55,
    },
}
# Until a lesson's JSON names a video block itself, the demo video goes into this lesson,
# after the lesson's first text: (module slug, lesson slug) → video name.
DEMO_VIDEO_LESSONS = {("phishing-herkennen", "signalen-herkennen"): "phishing-signalen"}

# Calm, high-contrast cover colours, one per module in file order.
_COVER_COLOURS = ["#1f4e79", "#7a3e00", "#245c3a", "#5b2a6e", "#7d1f2c", "#124b5c", "#4a4a12"]


def demo_module_files(directory: Path = DEMO_MODULES_DIR, *, own: bool = False) -> list[Path]:
    """The shared demo modules, or (``own``) those of one organisation's own."""
    return sorted((directory / "own" if own else directory).glob("*.json"))


def demo_modules_load(
    *, catalogue: CataloguePage, directory: Path = DEMO_MODULES_DIR
) -> list[ModulePage]:
    """Publish every demo module that is not in the catalogue yet (matched by slug), and each
    translation of it that is not there yet (a file of the same name in ``de/`` or ``en/``)."""
    modules = []
    for index, path in enumerate(demo_module_files(directory)):
        data = json.loads(path.read_text(encoding="utf-8"))
        module = ModulePage.objects.child_of(catalogue).filter(slug=data["slug"]).first()
        if module is None:
            module = _module_create(
                catalogue, data, colour=_COVER_COLOURS[index % len(_COVER_COLOURS)]
            )
        for language, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
            translated = directory / language / path.name
            if translated.exists() and live_translation(module, language) is None:
                data = json.loads(translated.read_text(encoding="utf-8"))
                try:
                    _module_translate(module, data, language)
                except TranslationMismatch as error:
                    raise TranslationMismatch(
                        f"{translated}: does not fit {path.name}: {error}"
                    ) from error
        modules.append(module)
    return modules


def demo_own_modules_load(*, catalogue: CataloguePage) -> list[ModulePage]:
    """Publish the modules of an organisation's own (``demo_modules/own/*.json``, each naming
    its organisation), once the demo organisations exist."""
    modules = []
    for path in demo_module_files(own=True):
        data = json.loads(path.read_text(encoding="utf-8"))
        organisation = OrgUnit.get_root_nodes().filter(name=data["organisation"]).first()
        if organisation is None:
            continue
        module = ModulePage.objects.child_of(catalogue).filter(slug=data["slug"]).first()
        if module is None:
            module = _module_create(catalogue, data, colour="#2d5a27", organisation=organisation)
        modules.append(module)
    return modules


def _with_demo_video(body: list, lesson: tuple[str, str], language: str = "nl") -> list:
    """``body`` with the demo video after its first text, in the lesson that has it
    (``DEMO_VIDEO_LESSONS``, by the slugs of the module and lesson in Dutch) and does not name
    a video itself; a translation gets it at the same place, with its own transcript."""
    video = DEMO_VIDEO_LESSONS.get(lesson)
    if video and not any(block["type"] == "video" for block in body):
        first_text = next((i for i, block in enumerate(body) if block["type"] == "paragraph"), 0)
        block = {"type": "video", "video": video, "language": language}
        body.insert(first_text + 1, stream_block(block))
    return body


def _module_translate(module: ModulePage, data: dict, language: str) -> None:
    """Publish the ``language`` version of a demo module and its lessons from ``data``, a demo
    file parallel to the module's own. All or nothing: a file that does not fit the module
    leaves no half translation behind."""
    with transaction.atomic():
        _module_translate_pages(module, data, language)


def _module_translate_pages(module: ModulePage, data: dict, language: str) -> None:
    with translation.override(language):
        alt = _("Cover of the module “%(title)s”") % {"title": data["title"]}
    page_translation_publish(
        source=module,
        language=language,
        fields={
            "title": data["title"],
            "slug": data["slug"],
            "summary": data["summary"],
            "objectives": [{"type": "objective", "value": text} for text in data["objectives"]],
            "audience": data.get("audience", ""),
            "cover_image_alt": alt,
        },
    )
    lessons = list(module.lessons())
    if len(lessons) != len(data["lessons"]):
        raise TranslationMismatch(
            f"{module.slug} in {language}: {len(data['lessons'])} lessons where the module "
            f"has {len(lessons)}"
        )
    for lesson, lesson_data in zip(lessons, data["lessons"], strict=True):
        page_translation_publish(
            source=lesson,
            language=language,
            fields={
                "title": lesson_data["title"],
                "slug": lesson_data["slug"],
                "body": _with_demo_video(
                    [stream_block(block) for block in lesson_data["body"]],
                    (module.slug, lesson.slug),
                    language=language,
                ),
            },
        )


def _module_create(
    catalogue: CataloguePage, data: dict, *, colour: str, organisation: OrgUnit | None = None
) -> ModulePage:
    module = ModulePage(
        organisation=organisation,
        title=data["title"],
        slug=data["slug"],
        summary=data["summary"],
        objectives=[("objective", text) for text in data["objectives"]],
        estimated_minutes=data["estimated_minutes"],
        level_band=data["level_band"],
        audience=data.get("audience", ""),
        cover_image=_cover_image(data["title"], colour, slug=data["slug"]),
        cover_image_alt=f"Omslag van de module ‘{data['title']}’",
        grants_certificate="certificate" in data,
        certificate_validity_months=(data.get("certificate") or {}).get("validity_months"),
    )
    competences = {c.code: c for c in Competence.objects.all()}
    for award in data.get("competences", []):
        module.competences_developed.add(
            ModuleCompetence(competence=competences[award["code"]], level_awarded=award["level"])
        )
    catalogue.add_child(instance=module)
    module.save_revision().publish()
    for lesson_data in data["lessons"]:
        body = _with_demo_video(
            [stream_block(block) for block in lesson_data["body"]],
            (data["slug"], lesson_data["slug"]),
        )
        lesson = LessonPage(title=lesson_data["title"], slug=lesson_data["slug"], body=body)
        module.add_child(instance=lesson)
        lesson.save_revision().publish()
    return module


def stream_block(block: dict) -> dict:
    """Translate one block of the demo schema into StreamField raw data."""
    kind = block["type"]
    if kind == "heading":
        value = {"text": block["text"], "level": f"h{block.get('level', 2)}"}
        return {"type": "heading", "value": value}
    if kind == "text":
        return {"type": "paragraph", "value": block["html"]}
    if kind == "callout":
        value = {"kind": block["kind"], "title": block["title"], "text": block["html"]}
        return {"type": "callout", "value": value}
    if kind == "steps":
        steps = [{"title": step["title"], "text": step.get("html", "")} for step in block["steps"]]
        return {"type": "steps", "value": {"title": block["title"], "steps": steps}}
    if kind == "accordion":
        items = [{"question": item["question"], "answer": item["html"]} for item in block["items"]]
        return {"type": "accordion", "value": {"title": block.get("title", ""), "items": items}}
    if kind == "quote":
        value = {"text": block["text"], "attribution": block.get("attribution", "")}
        return {"type": "quote", "value": value}
    if kind == "question":
        options = [
            {"text": o["text"], "correct": bool(o["correct"]), "feedback": o.get("feedback", "")}
            for o in block["options"]
        ]
        value = {"kind": block["kind"], "prompt": block["prompt"], "options": options}
        return {"type": "question", "value": value}
    if kind == "video":
        return {"type": "video", "value": _video_value(block)}
    raise ValueError(f"Unknown demo block type {kind!r}")


def _video_value(block: dict) -> dict:
    """A demo video (``"video"``: its name in content/demo_media) or an external one
    (``"url"``), with its title and transcript; the demo video brings its own of both."""
    if "url" in block:
        return {
            "media": None,
            "video": block["url"],
            "title": block["title"],
            "transcript": block["html"],
        }
    name = block["video"]
    language = block.get("language", "nl")
    transcript = DEMO_MEDIA_DIR / f"{name}.transcript.{language}.html"
    return {
        "media": demo_video(name).pk,
        "video": None,
        "title": block.get("title", DEMO_VIDEOS[name]["titles"][language]),
        "transcript": block.get("html") or transcript.read_text(encoding="utf-8"),
    }


def demo_video(name: str) -> Video:
    """The demo video ``name`` with its caption tracks, uploaded once."""
    facts = DEMO_VIDEOS[name]
    video = Video.objects.filter(title=facts["title"], type="video").first()
    if video is not None:
        return video
    video = Video(
        title=facts["title"],
        type="video",
        width=facts["width"],
        height=facts["height"],
        duration=facts["duration"],
    )
    with open(DEMO_MEDIA_DIR / f"{name}.mp4", "rb") as movie:
        video.file.save(f"{name}.mp4", File(movie), save=False)
    for code in CAPTION_LANGUAGES:
        with open(DEMO_MEDIA_DIR / f"{name}.{code}.vtt", "rb") as captions:
            getattr(video, f"caption_{code}").save(f"{name}.{code}.vtt", File(captions), save=False)
    video.save()
    return video


def _cover_image(title: str, colour: str, *, slug: str):
    """Draw a simple cover: the module title on a coloured field with a quiet pattern."""
    width, height = 1200, 500
    canvas = PILImage.new("RGB", (width, height), colour)
    draw = ImageDraw.Draw(canvas)
    for step in range(8):
        radius = 120 + step * 60
        draw.ellipse(
            (width - radius, height - radius, width + radius, height + radius),
            outline="#ffffff",
            width=2,
        )
    font = ImageFont.load_default(size=64)
    words, lines, line = title.split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) > width - 200 and line:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines.append(line)
    for number, text in enumerate(lines[:4]):
        draw.text((80, 80 + number * 84), text, font=font, fill="#ffffff")
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    image = get_image_model()(title=title)
    image.file = ImageFile(buffer, name=f"cover-{slug}.png")
    image.save()
    return image


DEMO_PAGES_DIR = Path(__file__).resolve().parent / "demo_pages"


def demo_statement_files() -> list[Path]:
    return sorted(DEMO_PAGES_DIR.glob("*_statement.json"))


def demo_statements_load(*, home, organisation: OrgUnit | None = None) -> list:
    """Publish the privacy and accessibility statements below the home page in Dutch (the
    site's language), unless one of that kind is there already, and each of its German and
    English translations that is not there yet, from the same file: translations through
    wagtail-localize, as the modules have them, so that the organisation edits them in the
    segment editor and sees them out of date when the Dutch text changes.

    The texts are Voorbeeldstad's, whose site it is: without ``organisation`` they are the
    site's statements, for everyone. With one, they become that organisation's own, with its
    name and addresses in Voorbeeldstad's place."""
    from content.statements import StatementPage

    def own(text: str) -> str:
        if organisation is None:
            return text
        place = organisation.name.removeprefix("Gemeente ")
        return text.replace("Voorbeeldstad", place).replace("voorbeeldstad", place.lower())

    def slug(text: str) -> str:
        if organisation is None:
            return text
        return f"{text}-{slugify(organisation.name.removeprefix('Gemeente '))}"

    def title(text: str) -> str:  # told apart from the site's in the admin's page lists
        return text if organisation is None else f"{text} {organisation.name}"

    pages = []
    for path in demo_statement_files():
        data = json.loads(path.read_text(encoding="utf-8"))
        page = (
            StatementPage.objects.child_of(home)
            .filter(kind=data["kind"], organisation=organisation)
            .first()
        )
        if page is None:
            text = data["translations"]["nl"]
            page = StatementPage(
                title=title(text["title"]),
                slug=slug(text["slug"]),
                kind=data["kind"],
                organisation=organisation,
                last_reviewed=datetime.date.fromisoformat(data["last_reviewed"]),
                body=own(text["body"]),
            )
            home.add_child(instance=page)
            page.save_revision().publish()
        for language, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
            text = data["translations"].get(language)
            if text is None or live_translation(page, language) is not None:
                continue
            page_translation_publish(
                source=page,
                language=language,
                fields={
                    "title": title(text["title"]),
                    "slug": slug(text["slug"]),
                    "body": own(text["body"]),
                },
            )
        pages.append(page)
    return pages


def demo_own_statements_load(*, home) -> list:
    """Voorbeeldstad's neighbours, whose staff use its site, each publish their own privacy
    and accessibility statements: each is the controller of its own staff's data."""
    from competencies.demo import DEMO_NEIGHBOURS

    pages = []
    for name, _staff, _seed in DEMO_NEIGHBOURS:
        organisation = OrgUnit.get_root_nodes().filter(name=name).first()
        if organisation is not None:
            pages += demo_statements_load(home=home, organisation=organisation)
    return pages


# Each demo municipality's certificates look their own: (name, colour, signatory, position).
DEMO_BRANDING = [
    ("Gemeente Voorbeeldstad", "#14497a", "Mr. A.C. (Anneke) Smit", "Gemeentesecretaris"),
    ("Gemeente Beekdal", "#2d5a27", "Drs. P. (Pieter) van den Broek", "Directeur bedrijfsvoering"),
    ("Gemeente Heidedorp", "#7a2e5c", "H. (Hatice) Yilmaz", "Gemeentesecretaris"),
]


def demo_branding_load() -> list[OrganisationBranding]:
    """Give each demo municipality that exists its own certificate branding (a drawn logo,
    a colour and a signatory), unless it has one already."""
    brandings = []
    for name, colour, signatory, position in DEMO_BRANDING:
        organisation = OrgUnit.get_root_nodes().filter(name=name).first()
        if organisation is None:
            continue
        branding = OrganisationBranding.objects.filter(organisation=organisation).first()
        if branding is None:
            branding = OrganisationBranding.objects.create(
                organisation=organisation,
                organisation_name=name,
                logo=_logo_image(name, colour),
                primary_colour=colour,
                signatory_name=signatory,
                signatory_title=position,
            )
        brandings.append(branding)
    return brandings


def _logo_image(name: str, colour: str):
    """A simple municipal logo: a coloured shield with the initial, and the name beside it."""
    width, height = 900, 240
    canvas = PILImage.new("RGB", (width, height), "#ffffff")
    draw = ImageDraw.Draw(canvas)
    draw.rounded_rectangle((10, 10, 190, 230), radius=40, fill=colour)
    place = name.split()[-1]
    draw.text(
        (100, 120), place[0], font=ImageFont.load_default(size=150), fill="#ffffff", anchor="mm"
    )
    draw.text((220, 120), place, font=ImageFont.load_default(size=96), fill=colour, anchor="lm")
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    image = get_image_model()(title=f"Logo {name}")
    image.file = ImageFile(buffer, name=f"logo-{place.lower()}.png")
    image.save()
    return image
