"""The building blocks trainers compose lessons from.

Every block has an icon, a template in ``templates/blocks/`` and a preview value, so that the
block picker in the admin shows what the learner will see.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents import get_document_model
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageChooserBlock
from wagtailmedia.blocks import VideoChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link"]


def _first_image():
    return {
        "image": get_image_model().objects.order_by("pk").first(),
        "alt_text": _("Example image"),
        "caption": _("A caption explains what the image shows."),
    }


def _first_document():
    return {
        "document": get_document_model().objects.order_by("pk").first(),
        "title": _("Checklist"),
        "description": _("A one-page summary to print or keep."),
    }


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Text"), max_length=120)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Section (h2)")), ("h3", _("Subsection (h3)"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "blocks/heading_block.html"
        preview_value = {"text": _("What you will learn"), "level": "h2"}
        description = _("A section heading; screen-reader users navigate by headings.")


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        super().__init__(features=RICH_TEXT_FEATURES, **kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Text")
        template = "blocks/paragraph_block.html"
        preview_value = (
            "<p>Short paragraphs in plain language help every colleague follow the lesson.</p>"
        )
        description = _("Running text with bold, italic, lists and links.")


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=250,
        help_text=_("Describe what the image tells the reader, for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "blocks/image_block.html"
        preview_value = _first_image
        description = _("An image with a required text alternative and an optional caption.")


class VideoBlock(blocks.StructBlock):
    """A video with a transcript: the organisation's own (played by the browser's <video>,
    with its caption tracks), or one on an external platform, which is loaded only after the
    viewer asks for it, so that nothing goes to that platform before their click."""

    media = VideoChooserBlock(
        label=_("Video"),
        required=False,
        help_text=_("A video uploaded under Media, with its captions."),
    )
    video = EmbedBlock(
        label=_("Or the address of an external video"),
        required=False,
        help_text=_("A link to the video, e.g. Vimeo. It is loaded only when the viewer agrees."),
    )
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    transcript = blocks.RichTextBlock(
        label=_("Transcript"),
        features=RICH_TEXT_FEATURES,
        help_text=_("Everything that is said and shown, for people who cannot watch or hear."),
    )

    def get_translatable_segments(self, value):
        """What wagtail-localize translates in a video block: the title and the transcript,
        read by its own extractor. An uploaded video has no external address, and that
        extractor fails on an empty one; the address is the same in every language anyway."""
        from wagtail_localize.segments.extract import StreamFieldSegmentExtractor

        extractor = StreamFieldSegmentExtractor(None)
        return [
            segment.wrap(name)
            for name in ("title", "transcript")
            for segment in extractor.handle_block(self.child_blocks[name], value.get(name))
        ]

    class Meta:
        icon = "media"
        label = _("Video")
        template = "blocks/video_block.html"
        preview_value = {
            "video": "https://vimeo.com/",
            "title": _("Video"),
            "transcript": "<p>The full transcript of the video appears here.</p>",
        }
        description = _("A video with captions and a required transcript.")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        if value["media"]:
            # The captions in the page's language are the ones switched on by default.
            context["tracks"] = value["media"].caption_tracks(translation.get_language())
        elif value["video"]:
            host = urlsplit(value["video"].url).hostname or ""
            context["external_host"] = host.removeprefix("www.")
        return context

    def clean(self, value):
        value = super().clean(value)
        if bool(value["media"]) == bool(value["video"]):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "media": ValidationError(
                        _("Choose an uploaded video or give the address of an external one.")
                    )
                }
            )
        return value


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("Kind"),
        choices=[("tip", _("Tip")), ("warning", _("Warning")), ("example", _("Example"))],
        default="tip",
    )
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    text = blocks.RichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "help"
        label = _("Callout")
        template = "blocks/callout_block.html"
        preview_value = {
            "kind": "tip",
            "title": _("Tip"),
            "text": "<p>Hover over a link before you click to see where it really goes.</p>",
        }
        description = _("A highlighted tip, warning or example.")


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Step"), max_length=160)
    text = blocks.RichTextBlock(label=_("Explanation"), features=RICH_TEXT_FEATURES, required=False)


class StepsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    steps = blocks.ListBlock(StepBlock(), label=_("Steps"), min_num=2)

    class Meta:
        icon = "list-ol"
        label = _("Step-by-step instructions")
        template = "blocks/steps_block.html"
        preview_value = {
            "title": _("Report a suspicious e-mail"),
            "steps": [
                {"title": _("Do not click any link"), "text": ""},
                {"title": _("Use the report button in your mail program"), "text": ""},
            ],
        }
        description = _("Numbered steps to follow in order.")


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Link text"), max_length=120)
    description = blocks.CharBlock(label=_("Description"), required=False, max_length=250)

    class Meta:
        icon = "doc-full"
        label = _("Document download")
        template = "blocks/document_block.html"
        preview_value = _first_document
        description = _("A file to download, with its type and size shown.")


class AccordionItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question or heading"), max_length=200)
    answer = blocks.RichTextBlock(label=_("Answer"), features=RICH_TEXT_FEATURES)


class AccordionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=120)
    items = blocks.ListBlock(AccordionItemBlock(), label=_("Items"), min_num=1)

    class Meta:
        icon = "list-ul"
        label = _("Accordion / FAQ")
        template = "blocks/accordion_block.html"
        preview_value = {
            "title": _("Frequently asked questions"),
            "items": [{"question": _("Where do I report a data breach?"), "answer": "<p>…</p>"}],
        }
        description = _("Questions that open to show their answer; works without JavaScript.")


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(label=_("Who said it"), required=False, max_length=160)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "blocks/quote_block.html"
        preview_value = {
            "text": _("Asking twice is better than clicking once."),
            "attribution": _("An information security officer"),
        }
        description = _("A quotation from a colleague or expert.")


class AnswerOptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Option"), max_length=300)
    correct = blocks.BooleanBlock(label=_("Correct"), required=False)
    feedback = blocks.TextBlock(
        label=_("Feedback"),
        required=False,
        help_text=_("Shown after the answer is submitted: why this option is right or wrong."),
    )


class KnowledgeCheckBlock(blocks.StructBlock):
    """A question that checks understanding. The correct options and the feedback are the
    answer key: templates for learners must never print them before an attempt is submitted."""

    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true_false"

    kind = blocks.ChoiceBlock(
        label=_("Question type"),
        choices=[
            (SINGLE, _("Single choice")),
            (MULTIPLE, _("Multiple choice")),
            (TRUE_FALSE, _("True or false")),
        ],
        default=SINGLE,
    )
    prompt = blocks.TextBlock(label=_("Question"))
    options = blocks.ListBlock(AnswerOptionBlock(), label=_("Options"), min_num=2)

    class Meta:
        icon = "tasks"
        label = _("Knowledge check question")
        template = "blocks/knowledge_check_block.html"
        preview_value = {
            "kind": "single",
            "prompt": _("Which sign points to phishing?"),
            "options": [
                {"text": _("Pressure to act today"), "correct": True, "feedback": ""},
                {"text": _("Your name in the greeting"), "correct": False, "feedback": ""},
            ],
        }
        description = _("A question with options; the answer key stays on the server.")

    def clean(self, value):
        value = super().clean(value)
        correct = sum(1 for option in value["options"] if option["correct"])
        kind = value["kind"]
        if kind == self.TRUE_FALSE and len(value["options"]) != 2:
            raise blocks.StructBlockValidationError(
                block_errors={"options": ValidationError(_("True or false needs two options."))}
            )
        if kind in (self.SINGLE, self.TRUE_FALSE) and correct != 1:
            raise blocks.StructBlockValidationError(
                block_errors={"options": ValidationError(_("Mark exactly one option correct."))}
            )
        if kind == self.MULTIPLE and (correct < 1 or correct == len(value["options"])):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "options": ValidationError(
                        _("Mark at least one option correct and at least one wrong.")
                    )
                }
            )
        return value


class LessonBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = ImageBlock()
    video = VideoBlock()
    callout = CalloutBlock()
    steps = StepsBlock()
    document = DocumentBlock()
    accordion = AccordionBlock()
    quote = QuoteBlock()
    question = KnowledgeCheckBlock()


class ObjectivesBlock(blocks.StreamBlock):
    objective = blocks.CharBlock(label=_("Objective"), max_length=250, icon="tick")
