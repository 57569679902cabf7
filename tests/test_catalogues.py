"""Message catalogues (SPEC section 6): every label of every template is translated in
every catalogue we ship, with the same placeholders and, for a message that counts,
every plural category of the language (CLDR, through Babel); a user's catalogue
counts in its own language's plural forms."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
import yaml
from babel import Locale

import readout
from readout import tree as t
from readout.errors import TemplateError
from readout.localise import PLACEHOLDER, catalogue, plural_category, translate
from readout.templating import available_templates, build_document, template_messages

from .conftest import SEED

BUILTIN = Path(str(resources.files("readout.templates"))) / "_messages"
LANGUAGES = sorted(path.stem for path in BUILTIN.glob("*.yaml"))
TEMPLATES = available_templates()


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def test_we_ship_catalogues_for_hindi_russian_and_urdu() -> None:
    assert {"hi", "ru", "ur"} <= set(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("template", TEMPLATES)
def test_every_label_of_every_template_is_translated(template: str, language: str) -> None:
    messages = catalogue(language)
    plural_forms = set(Locale.parse(language).plural_form.tags) | {"other"}
    missing, wrong = [], []
    for message, plural in template_messages(template).items():
        found = messages.get(message)
        if not found:
            missing.append(message)
            continue
        forms = found if isinstance(found, dict) else {"other": found}
        if plural is not None and set(forms) < plural_forms:
            wrong.append(f"{message!r}: needs the forms {sorted(plural_forms)}")
        for text in forms.values():
            if placeholders(text) != placeholders(message):
                wrong.append(f"{message!r}: {text!r} has other placeholders")
    assert missing == [] and wrong == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_catalogue_keeps_a_message_no_template_prints(language: str) -> None:
    used = {message for template in TEMPLATES for message in template_messages(template)}
    raw = yaml.safe_load((BUILTIN / f"{language}.yaml").read_text(encoding="utf-8"))
    assert sorted(set(raw) - used) == []


@pytest.mark.parametrize(("language", "counts"), [
    ("ru", {1: "one", 21: "one", 3: "few", 24: "few", 5: "many", 11: "many", 1.5: "other"}),
    ("hi", {0: "one", 1: "one", 2: "other", 5: "other"}),
    ("en", {1: "one", 0: "other", 2: "other", 1.5: "other"}),
    ("ar", {0: "zero", 2: "two", 3: "few", 11: "many", 100: "other"}),
])
def test_plural_categories_are_cldrs(language: str, counts: dict[float, str]) -> None:
    assert {n: plural_category(n, language) for n in counts} == counts


MEETINGS_RU = """\
"{count} meeting":
  one: "{count} встреча"
  few: "{count} встречи"
  many: "{count} встреч"
  other: "{count} встречи"
"""
COUNTING_TEMPLATE = """\
<document><body>
{% for n in [1, 2, 5, 21, 0] %}<p>{{ _("{count} meeting", count=n, plural="{count} meetings") }}</p>
{% endfor %}
</body></document>
"""


@pytest.fixture
def counting_folder(tmp_path: Path) -> Path:
    (tmp_path / "counting").mkdir()
    (tmp_path / "counting" / "document.xml.j2").write_text(COUNTING_TEMPLATE, encoding="utf-8")
    (tmp_path / "counting" / "template.yaml").write_text(
        "audience: public\ndescription: Counts meetings.\n", encoding="utf-8")
    (tmp_path / "_messages").mkdir()
    (tmp_path / "_messages" / "ru.yaml").write_text(MEETINGS_RU, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(("language", "printed"), [
    ("en", ["1 meeting", "2 meetings", "5 meetings", "21 meetings", "0 meetings"]),
    ("ru", ["1 встреча", "2 встречи", "5 встреч", "21 встреча", "0 встреч"]),
    ("hi", ["1 meeting", "2 meetings", "5 meetings", "21 meetings", "0 meetings"]),
])
def test_a_counted_label_takes_the_plural_form_of_its_language(
        counting_folder: Path, language: str, printed: list[str]) -> None:
    import dataclasses
    seed = dataclasses.replace(readout.load(SEED), language=language)
    doc = build_document(seed, "counting", template_dirs=[counting_folder])
    assert [t.plain_text(block.children) for block in doc.body  # type: ignore[union-attr]
            ] == printed
    assert template_messages("counting", [counting_folder])["{count} meeting"] == \
        "{count} meetings"


def test_a_plural_catalogue_entry_without_other_is_refused(tmp_path: Path) -> None:
    (tmp_path / "_messages").mkdir()
    path = tmp_path / "_messages" / "ru.yaml"
    path.write_text('"{count} meeting":\n  one: "{count} встреча"\n', encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        translate("{count} meeting", "ru", [str(tmp_path)], count="1")
    assert "a message that counts maps each plural category (zero, one, two, few, many, " \
           "other) to its text." in str(caught.value)
