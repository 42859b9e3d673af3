import pytest
from django.core.exceptions import ValidationError
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed

from content.blocks import KnowledgeCheckBlock, LessonBodyBlock
from content.models import LessonPage
from tests.factories import document_create, image_create, module_create, question

VIDEO_URL = "https://vimeo.com/123456"


@pytest.fixture
def lesson_with_every_block(catalogue):
    # A stored embed means the video renders without asking the provider over the network.
    Embed.objects.create(
        url=VIDEO_URL,
        max_width=None,
        type="video",
        html='<iframe title="Demovideo" src="https://player.vimeo.com/video/123456"></iframe>',
        title="Demovideo",
        hash=get_embed_hash(VIDEO_URL),
    )
    image = image_create()
    document = document_create()
    module = module_create(catalogue, lessons=0)
    body = [
        {"type": "heading", "value": {"text": "Wat is phishing?", "level": "h2"}},
        {"type": "paragraph", "value": "<p>Een <b>nepbericht</b> om je te misleiden.</p>"},
        {
            "type": "image",
            "value": {
                "image": image.pk,
                "alt_text": "Een nepmail",
                "caption": "Let op de afzender",
            },
        },
        {
            "type": "video",
            "value": {"video": VIDEO_URL, "title": "Uitleg", "transcript": "<p>TRANSCRIPT</p>"},
        },
        {
            "type": "callout",
            "value": {"kind": "warning", "title": "Pas op", "text": "<p>Nooit</p>"},
        },
        {
            "type": "steps",
            "value": {
                "title": "Melden",
                "steps": [{"title": "Niet klikken", "text": ""}, {"title": "Meld het", "text": ""}],
            },
        },
        {"type": "document", "value": {"document": document.pk, "title": "Download de checklist"}},
        {
            "type": "accordion",
            "value": {"title": "FAQ", "items": [{"question": "Wie?", "answer": "<p>Jij.</p>"}]},
        },
        {"type": "quote", "value": {"text": "Twijfel? Bel even.", "attribution": "Sanne, CISO"}},
        question(),
    ]
    lesson = LessonPage(title="Alle blokken", body=body)
    module.add_child(instance=lesson)
    lesson.save_revision().publish()
    return lesson


def test_the_test_lesson_covers_every_block_type(lesson_with_every_block):
    used = {block.block_type for block in lesson_with_every_block.body}
    assert used == set(LessonBodyBlock.base_blocks)


def test_it_renders_every_block(client, learner, lesson_with_every_block):
    client.force_login(learner)
    html = client.get(lesson_with_every_block.url).content.decode()

    assert '<h2 class="block-heading">Wat is phishing?</h2>' in html
    assert "<b>nepbericht</b>" in html
    assert 'alt="Een nepmail"' in html and "Let op de afzender" in html
    assert 'src="https://player.vimeo.com/video/123456"' in html and "TRANSCRIPT" in html
    assert "callout--warning" in html and "Pas op" in html
    assert "Niet klikken" in html and "Meld het" in html
    assert "Download de checklist" in html and "(TXT" in html
    assert "<summary>Wie?</summary>" in html
    assert "Twijfel? Bel even." in html and "Sanne, CISO" in html
    assert "Welk signaal wijst op phishing?" in html


def test_a_video_that_cannot_be_embedded_still_offers_a_link(client, learner, catalogue):
    module = module_create(catalogue, lessons=0)
    lesson = LessonPage(
        title="Video",
        body=[
            {
                "type": "video",
                "value": {
                    "video": "https://video.invalid/x",
                    "title": "Uitleg",
                    "transcript": "<p>Alles wat gezegd wordt.</p>",
                },
            }
        ],
    )
    module.add_child(instance=lesson)
    lesson.save_revision().publish()
    client.force_login(learner)

    html = client.get(lesson.url).content.decode()

    assert 'href="https://video.invalid/x"' in html
    assert "Alles wat gezegd wordt." in html


def test_a_knowledge_check_never_renders_its_answer_key(client, learner, lesson_with_every_block):
    client.force_login(learner)
    html = client.get(lesson_with_every_block.url).content.decode()

    stored = LessonPage.objects.get(pk=lesson_with_every_block.pk)
    question_value = next(b for b in stored.body if b.block_type == "question")
    for option in question_value.value["options"].bound_blocks:
        assert f'value="{option.id}"' in html
        assert option.value["text"] in html
    assert "FEEDBACK-GOED" not in html
    assert "FEEDBACK-FOUT" not in html
    assert "correct" not in html.lower()


@pytest.mark.parametrize(
    ("kind", "marks", "valid"),
    [
        ("single", [True, False, False], True),
        ("single", [True, True, False], False),
        ("single", [False, False], False),
        ("true_false", [True, False], True),
        ("true_false", [True, False, False], False),
        ("multiple", [True, True, False], True),
        ("multiple", [True, True], False),
        ("multiple", [False, False], False),
    ],
)
def test_it_checks_the_answer_key_of_a_question(kind, marks, valid):
    block = KnowledgeCheckBlock()
    value = block.to_python(
        {
            "kind": kind,
            "prompt": "Vraag",
            "options": [
                {"text": f"Optie {i}", "correct": c, "feedback": ""} for i, c in enumerate(marks)
            ],
        }
    )
    if valid:
        cleaned = block.clean(value)
        assert [option["correct"] for option in cleaned["options"]] == marks
    else:
        with pytest.raises(ValidationError):
            block.clean(value)


@pytest.mark.parametrize("name", sorted(LessonBodyBlock.base_blocks))
def test_every_block_has_an_icon_a_template_and_a_preview(db, name):
    block = LessonBodyBlock.base_blocks[name]
    assert block.meta.icon not in (None, "placeholder")
    assert block.meta.template.startswith("blocks/")
    assert block.is_previewable
    assert block.get_description()
