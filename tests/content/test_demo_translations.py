"""The German and English demo modules match their Dutch source block for block.

The loader maps a translation onto the Dutch pages position by position (lessons, blocks,
steps, accordion items, options), so any drift in structure would attach a German answer to
the wrong Dutch question. These checks read the files only; they need no database.
"""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from content.blocks import KnowledgeCheckBlock, LessonBodyBlock, ObjectivesBlock
from content.demo import demo_module_files, stream_block
from content.models import LessonPage, ModulePage

DEMO_DIR = Path(__file__).resolve().parents[2] / "content" / "demo_modules"
DUTCH_FILES = sorted(DEMO_DIR.glob("*.json"))
LANGUAGES = ["de", "en"]
TRUE_FALSE = {"nl": ["Waar", "Niet waar"], "de": ["Wahr", "Falsch"], "en": ["True", "False"]}
ALLOWED_TAGS = {"p", "ul", "ol", "li", "b", "i", "a"}
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

# Keys whose values stay exactly as in Dutch; every other string is translated.
FIXED_KEYS = {"type", "kind", "level", "correct", "competences", "level_band"}
FIXED_MODULE_KEYS = {"estimated_minutes", "certificate", "competences", "level_band"}

# Strings that may be the same in Dutch and the translation because they are names.
SAME_AS_DUTCH_ALLOWED: set[str] = set()

# Dutch institutions and laws a German municipal employee does not work with; the German
# modules name the German counterpart instead (DSGVO, E-Akte, IFG, BSI IT-Grundschutz ...).
DUTCH_ONLY_TERMS = [
    "AVG",
    "Woo",
    "Wet open overheid",
    "Archiefwet",
    "DigiD",
    "BIO",
    "BSN",
    "zaaksysteem",
    "Autoriteit Persoonsgegevens",
    "KCC",
    "digitoegankelijk",
]

# Common Dutch function words: finding one in a German or English sentence means a passage
# was left untranslated.
DUTCH_WORDS = re.compile(
    r"\b(het|een|niet|jouw|wordt|zijn|voor|ook|naar|maar|bij|dat|deze)\b", re.IGNORECASE
)


def translations():
    return [
        pytest.param(path, language, id=f"{language}/{path.name}")
        for language in LANGUAGES
        for path in DUTCH_FILES
    ]


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def translated(path: Path, language: str) -> dict:
    target = DEMO_DIR / language / path.name
    assert target.exists(), f"{language}/{path.name} is missing"
    return load(target)


class _RichText(HTMLParser):
    """Collects the tags and the text of each paragraph or list item of a rich-text value."""

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []
        self.passages: list[str] = []
        self._current: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag <{tag}>")
        names = [name for name, _ in attrs]
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if names != ["href"] or not href.startswith("https://"):
                self.problems.append(f"link {attrs}")
        elif names:
            self.problems.append(f"attributes on <{tag}>")
        if tag in {"p", "li"}:
            self._current = []

    def handle_endtag(self, tag):
        if tag in {"p", "li"}:
            text = "".join(self._current).strip()
            if text:
                self.passages.append(text)

    def handle_data(self, data):
        self._current.append(data)


def rich_text(html: str) -> _RichText:
    parser = _RichText()
    parser.feed(html)
    parser.close()
    return parser


def leaves(value, path=()):
    """Every string in a module with its path, except the values that stay as in Dutch."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in FIXED_KEYS:
                yield from leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, (*path, index))
    elif isinstance(value, str):
        yield path, value


def shape(value):
    """The module with every translated string blanked: keys, order, counts and fixed values."""
    if isinstance(value, dict):
        return {key: (item if key in FIXED_KEYS else shape(item)) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(item) for item in value]
    if isinstance(value, str):
        return "…"
    return value


def questions(module: dict):
    for lesson in module["lessons"]:
        for block in lesson["body"]:
            if block["type"] == "question":
                yield block


def html_values(module: dict):
    for path, text in leaves(module):
        if path[-1] == "html":
            yield path, text


def check_questions(module: dict, language: str) -> list[str]:
    problems = []
    for block in questions(module):
        correct = [option["correct"] for option in block["options"]]
        count, right = len(correct), sum(correct)
        kind = block["kind"]
        if kind == "single" and not (count in (3, 4) and right == 1):
            problems.append(f"single {block['prompt']!r}: {count} options, {right} correct")
        if kind == "multiple" and not (count in (4, 5) and right >= 2 and right < count):
            problems.append(f"multiple {block['prompt']!r}: {count} options, {right} correct")
        if kind == "true_false":
            texts = [option["text"] for option in block["options"]]
            if texts != TRUE_FALSE[language] or right != 1:
                problems.append(f"true_false {block['prompt']!r}: {texts}, {right} correct")
        for option in block["options"]:
            if not option.get("feedback", "").strip():
                problems.append(f"no feedback for {option['text']!r}")
    return problems


@pytest.mark.parametrize("path", DUTCH_FILES, ids=lambda path: path.name)
def test_it_finds_the_dutch_sources_sound_by_the_same_rules(path):
    module = load(path)

    assert check_questions(module, "nl") == []
    assert [p for _, html in html_values(module) for p in rich_text(html).problems] == []


def test_it_has_every_dutch_module_in_german_and_english():
    for language in LANGUAGES:
        names = sorted(path.name for path in (DEMO_DIR / language).glob("*.json"))
        assert names == [path.name for path in DUTCH_FILES], language


@pytest.mark.parametrize("path,language", translations())
def test_it_keeps_the_structure_of_the_dutch_module(path, language):
    dutch, module = load(path), translated(path, language)

    assert shape(module) == shape(dutch)
    for key in FIXED_MODULE_KEYS:
        assert module.get(key) == dutch.get(key), key
    true_false = [b for b in questions(module) if b["kind"] == "true_false"]
    assert [b["options"][0]["correct"] for b in true_false] == [
        b["options"][0]["correct"] for b in questions(dutch) if b["kind"] == "true_false"
    ]


@pytest.mark.parametrize("path,language", translations())
def test_it_follows_the_question_rules(path, language):
    assert check_questions(translated(path, language), language) == []


@pytest.mark.parametrize("path,language", translations())
def test_it_uses_only_the_allowed_rich_text(path, language):
    module = translated(path, language)

    problems = [p for _, html in html_values(module) for p in rich_text(html).problems]
    assert problems == []


@pytest.mark.parametrize("path,language", translations())
def test_it_has_no_empty_text_and_translated_slugs(path, language):
    dutch, module = load(path), translated(path, language)

    assert [path for path, text in leaves(module) if not text.strip()] == []
    slugs = [module["slug"]] + [lesson["slug"] for lesson in module["lessons"]]
    dutch_slugs = [dutch["slug"]] + [lesson["slug"] for lesson in dutch["lessons"]]
    assert [slug for slug in slugs if not SLUG.match(slug)] == []
    assert len(set(slugs)) == len(slugs)
    assert [s for s, d in zip(slugs, dutch_slugs, strict=True) if s == d] == []
    assert module["title"] != dutch["title"]


@pytest.mark.parametrize("path,language", translations())
def test_it_translates_every_text_and_passage(path, language):
    dutch, module = load(path), translated(path, language)

    dutch_texts = dict(leaves(dutch))
    same = [
        text
        for key, text in leaves(module)
        if text == dutch_texts[key] and text not in SAME_AS_DUTCH_ALLOWED
    ]
    dutch_passages = {p for _, html in html_values(dutch) for p in rich_text(html).passages}
    same += [
        passage
        for _, html in html_values(module)
        for passage in rich_text(html).passages
        if passage in dutch_passages and passage not in SAME_AS_DUTCH_ALLOWED
    ]
    assert same == []
    dutch_words = [
        (key, match.group(0))
        for key, text in leaves(module)
        if key[-1] not in {"slug"}
        for match in [DUTCH_WORDS.search(re.sub(r"<[^>]+>", " ", text))]
        if match
    ]
    assert dutch_words == []


@pytest.mark.parametrize("path", DUTCH_FILES, ids=lambda path: path.name)
def test_it_names_the_german_laws_and_systems_in_german(path):
    module = translated(path, "de")

    found = [
        (key, term)
        for key, text in leaves(module)
        for term in DUTCH_ONLY_TERMS
        if re.search(rf"\b{re.escape(term)}\b", text)
    ]
    assert found == []


@pytest.mark.parametrize("path,language", translations())
def test_it_fits_the_blocks_and_fields_the_loader_fills(path, language):
    # German runs longer than Dutch: a heading over 120 characters or a summary over 400 would
    # only fail when the loader saves the page, so hold each file to the real limits here.
    module = translated(path, language)
    problems = []
    for name, model in (("title", ModulePage), ("summary", ModulePage), ("slug", ModulePage)):
        limit = model._meta.get_field(name).max_length
        if len(module[name]) > limit:
            problems.append((name, len(module[name]), limit))
    objectives = ObjectivesBlock()
    body = LessonBodyBlock()
    try:
        objectives.clean(
            objectives.to_python(
                [{"type": "objective", "value": text} for text in module["objectives"]]
            )
        )
    except ValidationError as error:
        problems.append(("objectives", error))
    title_limit = LessonPage._meta.get_field("title").max_length
    for lesson in module["lessons"]:
        if len(lesson["title"]) > title_limit:
            problems.append((lesson["slug"], "title", len(lesson["title"])))
        try:
            body.clean(body.to_python([stream_block(block) for block in lesson["body"]]))
        except ValidationError as error:
            problems.append((lesson["slug"], error))

    assert problems == []


def test_every_demo_question_has_a_valid_answer_key(db):
    block = KnowledgeCheckBlock()
    questions, invalid = {}, []
    for path in [*demo_module_files(), *demo_module_files(own=True)]:
        data = json.loads(path.read_text(encoding="utf-8"))
        items = [item for lesson in data["lessons"] for item in lesson["body"]]
        questions[path.name] = [item for item in items if item["type"] == "question"]
        for item in questions[path.name]:
            value = block.to_python({k: item[k] for k in ("kind", "prompt", "options")})
            try:
                block.clean(value)
            except ValidationError as error:
                invalid.append((path.name, item["prompt"], error))

    assert len(questions) >= 7 and all(questions.values()), questions.keys()
    assert invalid == []
