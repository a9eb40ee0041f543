"""Quotes against page text (pullit_domain.grounding): tolerant of extraction, strict on words."""

from __future__ import annotations

import pytest

from pullit_domain.grounding import PageIndex

SOURCE = 3
PAGES = [
    "Cells — page 1\nThe mitochondrion is the power-\nhouse of the cell. It makes ATP\nfrom glucose and oxygen.",
    "Cells — page 2\nRibosomes build proteins from amino acids in the cytoplasm of every living cell.\n"
    "The ﬁrst step of translation is\ninitiation.",
    "Cells — page 3\nThe Golgi apparatus packages proteins for transport out of the cell; vesicles\ncarry",
    "Cells — page 4\nthem to the membrane. Lysosomes digest worn-out organelles.",
]
PAGE_INDEX = PageIndex({SOURCE: PAGES})


@pytest.mark.parametrize(
    ("quote", "why"),
    [
        ("The mitochondrion is the powerhouse of the cell.", "a word hyphenated at a line end"),
        ("It makes ATP from glucose and oxygen.", "a line break between words"),
        ("the  MITOCHONDRION is the power-house of the cell", "spacing, case and a kept hyphen"),
        ("It makes \uff21\uff34\uff30 from glucose and oxygen", "full-width letters (ＡＴＰ)"),  # noqa: RUF001
    ],
)
def test_extraction_artefacts_do_not_fail_a_true_quote(quote: str, why: str) -> None:
    assert PAGE_INDEX.locate(quote, SOURCE, 1) == 1, why


def test_a_ligature_on_the_page_matches_plain_letters_in_the_quote() -> None:
    assert PAGE_INDEX.locate("The first step of translation is initiation.", SOURCE, 2) == 2


@pytest.mark.parametrize(
    "quote",
    [
        "The mitochondrion is the powerhouse of every cell.",  # a word added
        "The mitochondrion is the powerhouse of the body.",  # a word changed
        "Mitochondria are the powerhouses of cells.",  # a paraphrase
        "The nucleus stores the genetic information of the cell.",  # an invention
    ],
)
def test_changed_words_fail(quote: str) -> None:
    assert PAGE_INDEX.locate(quote, SOURCE, 1) is None


def test_a_quote_from_the_next_or_previous_page_moves_the_citation() -> None:
    assert PAGE_INDEX.locate("Ribosomes build proteins from amino acids.", SOURCE, 1) == 2
    assert PAGE_INDEX.locate("Ribosomes build proteins from amino acids.", SOURCE, 3) == 2


def test_a_quote_two_pages_away_fails() -> None:
    assert PAGE_INDEX.locate("Lysosomes digest worn-out organelles.", SOURCE, 2) is None


def test_a_passage_over_a_page_break_counts_for_the_page_where_it_starts() -> None:
    quote = "vesicles carry them to the membrane."

    assert PAGE_INDEX.locate(quote, SOURCE, 3) == 3
    assert PAGE_INDEX.locate(quote, SOURCE, 4) == 3


def test_two_passages_glued_together_are_not_a_quote() -> None:
    glued = "It makes ATP from glucose and oxygen. The first step of translation is initiation."

    assert PAGE_INDEX.locate(glued, SOURCE, 1) is None
    assert PAGE_INDEX.locate(glued, SOURCE, 2) is None


@pytest.mark.parametrize("quote", ["", "the cell", "ATP"])
def test_a_few_words_are_too_little_to_ground_anything(quote: str) -> None:
    assert PAGE_INDEX.locate(quote, SOURCE, 1) is None


def test_pages_and_documents_that_do_not_exist_hold_nothing() -> None:
    assert PAGE_INDEX.locate("The mitochondrion is the powerhouse of the cell.", SOURCE, 9) is None
    assert PAGE_INDEX.locate("The mitochondrion is the powerhouse of the cell.", SOURCE + 1, 1) is None
    assert SOURCE in PAGE_INDEX and SOURCE + 1 not in PAGE_INDEX


def test_korean_text_matches_across_line_breaks_and_spacing() -> None:
    pages = PageIndex(
        {
            1: [
                "네트워크 기초\n캡슐화(encapsulation)는 데이터가 상위 계층에서 하위 계층으로\n"
                "내려가면서 헤더가 붙는 과정이다."
            ]
        }
    )

    assert pages.locate("캡슐화(encapsulation)는 데이터가 상위 계층에서 하위 계층으로 내려가면서", 1, 1) == 1
    assert pages.locate("캡슐화는 데이터가 하위 계층에서 상위 계층으로 올라가면서 헤더가 붙는 과정이다.", 1, 1) is None
