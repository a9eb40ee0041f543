"""The message catalogs match the source: every learner-facing template is in the template
(.pot) and translated, not fuzzy, in Korean and English (.po), and compiled (.mo).

A failure here after adding a message means: run the three pybabel commands of the README's
"Development" section and fill in the new ``msgstr`` lines.
"""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from pullit_adapters.i18n import DOMAIN, LANGUAGES, LOCALE_DIR, CatalogMessages
from pullit_domain.errors import Code, NotFound
from pullit_domain.messages import msg

ROOT = Path(__file__).resolve().parents[2]


def _mapping() -> tuple[list[tuple[str, str]], dict[str, dict[str, object]]]:
    with (ROOT / "babel.cfg").open() as config:
        return parse_mapping_cfg(config, "babel.cfg")  # type: ignore[no-any-return]


def _source_templates() -> set[str]:
    method_map, options_map = _mapping()
    found = extract_from_dir(str(ROOT), method_map, options_map)
    return {message if isinstance(message, str) else message[0] for _, _, message, _, _ in found}


def _keyword_positions() -> dict[str, int]:
    _, options_map = _mapping()
    keywords: dict[str, object] = {}
    for options in options_map.values():
        keywords.update(options.get("keywords", {}))  # type: ignore[call-overload]
    return {name: (spec[0] - 1 if isinstance(spec, tuple) and spec else 0) for name, spec in keywords.items()}


def _catalog(path: Path) -> Catalog:
    with path.open("rb") as file:
        return read_po(file) if path.suffix in {".po", ".pot"} else read_mo(file)


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


SOURCE = _source_templates()


def test_the_source_has_learner_facing_templates() -> None:
    assert "'{title}' is ready." in SOURCE
    assert "the ALL folder cannot be deleted" in SOURCE
    assert len(SOURCE) > 150


def test_the_template_file_lists_exactly_the_source_templates() -> None:
    pot = {m.id for m in _catalog(LOCALE_DIR / f"{DOMAIN}.pot") if m.id}
    assert sorted(SOURCE - pot) == [], "new messages: run pybabel extract (README, Development)"
    assert sorted(pot - SOURCE) == [], "stale messages: run pybabel extract (README, Development)"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_template_is_translated_in_each_language(language: str) -> None:
    catalog = _catalog(LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po")
    entries = {m.id: m for m in catalog if m.id}
    assert sorted(SOURCE - entries.keys()) == [], "missing: run pybabel update, then translate"
    assert sorted(entries.keys() - SOURCE) == [], "stale: run pybabel update"
    assert sorted(i for i, m in entries.items() if not m.string) == [], "untranslated"
    assert sorted(i for i, m in entries.items() if m.fuzzy) == [], "fuzzy: check the translation, drop the flag"
    assert not catalog.obsolete, "obsolete (#~) entries: run pybabel update --ignore-obsolete"
    wrong = {i: m.string for i, m in entries.items() if _placeholders(i) != _placeholders(str(m.string))}
    assert wrong == {}, "a translation must use exactly the template's {placeholders}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalog_is_up_to_date(language: str) -> None:
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    po = {m.id: m.string for m in _catalog(folder / f"{DOMAIN}.po") if m.id}
    mo = {m.id: m.string for m in _catalog(folder / f"{DOMAIN}.mo") if m.id}
    assert mo == po, "run pybabel compile (README, Development)"


def _templates_passed(tree: ast.AST, positions: dict[str, int]) -> Iterator[tuple[int, ast.expr]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            position = positions.get(name)
            if position is not None and len(node.args) > position:
                yield node.lineno, node.args[position]


def test_templates_are_literals_so_extraction_sees_them() -> None:
    positions = _keyword_positions()
    dynamic = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sorted((ROOT / "src").rglob("*.py"))
        for line, argument in _templates_passed(ast.parse(path.read_text()), positions)
        if not (isinstance(argument, ast.Constant) and isinstance(argument.value, str))
    ]
    assert dynamic == [], "pass a literal template and keyword parameters, never an f-string or a variable"


def test_a_domain_error_renders_in_korean_and_english() -> None:
    messages = CatalogMessages("ko")
    error = NotFound("question set {set_id} not found", Code.QUESTION_SET_NOT_FOUND, set_id=7)

    assert messages.render(error.as_message, "en") == "question set 7 not found"
    assert messages.render(error.as_message, "ko") == "문제 세트 7을(를) 찾을 수 없습니다"
    assert messages.render(error.as_message) == "문제 세트 7을(를) 찾을 수 없습니다"
    assert error.message == "question set 7 not found"


def test_nested_messages_follow_the_outer_language() -> None:
    failed = msg("'{title}' could not be made: {reason}", title="광합성", reason=msg("generation took too long"))

    rendered = CatalogMessages("en").render(failed, "ko")

    assert rendered == "'광합성' 문제 세트를 만들지 못했습니다: 문제 생성이 너무 오래 걸렸습니다"
    assert not re.search(r"[A-Za-z]{4,}", rendered)


def test_an_unknown_language_falls_back_to_the_default() -> None:
    assert CatalogMessages("en").render(msg("unknown reason"), "fr") == "unknown reason"
    assert CatalogMessages("ko").render(msg("unknown reason"), "fr") == "알 수 없는 이유"
