"""Writing questions from a document's sentences, deterministically.

Every question comes from one sentence and one of its key terms (see ``text.py``):
- short answer: the sentence with the term blanked out; the answer is the term;
- multiple choice: the same blank, with three other terms of the document as distractors;
- true/false: the sentence as written (true) or with the term swapped for another term of
  the document (false);
- subjective: asks what the material says about the term; the model answer is the sentence.
(sentence, term) pairs are taken round-robin over the sentences, so a set covers the whole
document before it asks a second thing about one sentence. EASY sets ask for a sentence's
most frequent (central) terms first, HARD sets for its rarest, most specific ones.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass

from pullit_adapters.offline.text import Sentence, Term, blanked, ranked_terms, terms_of, vocabulary
from pullit_domain.generation import MAX_QUOTE_LENGTH
from pullit_domain.model.question import Difficulty, QuestionType
from pullit_domain.ports.llm import GeneratedQuestion, GenerationSpec

BLANK = "____"


@dataclass(frozen=True)
class Phrases:
    fill_in: str
    choose: str
    explain: str
    source: str


PHRASES = {
    "ko": Phrases(
        fill_in="빈칸에 들어갈 알맞은 말을 쓰시오: {}",
        choose="빈칸에 들어갈 알맞은 말을 고르시오: {}",
        explain="자료에서 '{}'에 대해 설명한 내용을 서술하시오.",
        source="{page}쪽: {sentence}",
    ),
    "en": Phrases(
        fill_in="Fill in the blank: {}",
        choose="Which term fills the blank? {}",
        explain="Explain what the material says about '{}'.",
        source="Page {page}: {sentence}",
    ),
}


def write_questions(
    sentences: Sequence[Sentence], spec: GenerationSpec, skip: Collection[str] = ()
) -> list[GeneratedQuestion]:
    """Up to ``spec.count`` distinct questions whose texts are not in ``skip``; fewer when
    the text holds too little material."""
    writer = _Writer(sentences, PHRASES.get(spec.language, PHRASES["en"]))
    questions: list[GeneratedQuestion] = []
    seen: set[str] = set(skip)
    for sentence, term in _pairs(sentences, writer.weights, rare_first=spec.difficulty is Difficulty.HARD):
        question = writer.write(spec.question_type, sentence, term)
        if question is None or question.text in seen:
            continue
        seen.add(question.text)
        questions.append(question)
        if len(questions) == spec.count:
            break
    return questions


def _pairs(
    sentences: Sequence[Sentence], weights: Counter[str], *, rare_first: bool
) -> Iterator[tuple[Sentence, Term]]:
    ranked = [ranked_terms(sentence, weights) for sentence in sentences]
    if rare_first:
        ranked = [list(reversed(terms)) for terms in ranked]
    for rank in range(max((len(terms) for terms in ranked), default=0)):
        for sentence, terms in zip(sentences, ranked, strict=True):
            if rank < len(terms):
                yield sentence, terms[rank]


def _digest(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256("\x00".join(parts).encode()).digest()[:8], "big")


class _Writer:
    def __init__(self, sentences: Sequence[Sentence], phrases: Phrases) -> None:
        self.weights = Counter(term.key for sentence in sentences for term in terms_of(sentence.text))
        self.vocabulary = vocabulary(sentences, self.weights)
        self.phrases = phrases
        self.true_statements: set[str] = set()

    def write(self, kind: QuestionType, sentence: Sentence, term: Term) -> GeneratedQuestion | None:
        explanation = self.phrases.source.format(page=sentence.page, sentence=sentence.text)
        if kind is QuestionType.TRUE_FALSE:
            return self._true_false(sentence, term, explanation)
        if kind is QuestionType.SUBJECTIVE:
            text = self.phrases.explain.format(term.surface)
            return self._question(kind, sentence, text, sentence.text, explanation)
        # A term written twice in its sentence gives its own blank away.
        if [t.key for t in terms_of(sentence.text)].count(term.key) > 1:
            return None
        cloze = blanked(sentence.text, term, BLANK)
        if kind is QuestionType.SHORT_ANSWER:
            return self._question(kind, sentence, self.phrases.fill_in.format(cloze), term.surface, explanation)
        distractors = self._others(sentence, term, 3)
        if len(distractors) < 3:
            return None
        options = (term.surface, *(d.surface for d in distractors))
        text = self.phrases.choose.format(cloze)
        return self._question(kind, sentence, text, term.surface, explanation, options)

    def _true_false(self, sentence: Sentence, term: Term, explanation: str) -> GeneratedQuestion | None:
        wants_true = _digest(sentence.text, term.key) % 2 == 0
        if wants_true and sentence.text not in self.true_statements:
            self.true_statements.add(sentence.text)
            return self._question(QuestionType.TRUE_FALSE, sentence, sentence.text, "true", explanation)
        swaps = self._others(sentence, term, 1)
        if not swaps:
            return None
        statement = blanked(sentence.text, term, swaps[0].surface)
        return self._question(QuestionType.TRUE_FALSE, sentence, statement, "false", explanation)

    def _others(self, sentence: Sentence, term: Term, count: int) -> list[Term]:
        """``count`` terms of the document, written like ``term``, that its sentence does not contain."""
        present = {t.key for t in terms_of(sentence.text)}
        pool = [
            other
            for other in self.vocabulary
            if other.is_hangul == term.is_hangul
            and other.key not in present
            and other.key not in term.key
            and term.key not in other.key
        ]
        if len(pool) < count:
            return []
        # Start at a place fixed by the pair, so sets vary their distractors but repeat exactly.
        start = _digest(sentence.text, term.key, "others") % len(pool)
        return [pool[(start + i) % len(pool)] for i in range(count)]

    @staticmethod
    def _question(
        kind: QuestionType,
        sentence: Sentence,
        text: str,
        answer: str,
        explanation: str,
        options: tuple[str, ...] | None = None,
    ) -> GeneratedQuestion:
        return GeneratedQuestion(
            question_type=kind,
            text=text,
            answer=answer,
            explanation=explanation,
            options=options,
            source_id=sentence.source_id,
            page=sentence.page,
            quote=_quote(sentence.text),
        )


def _quote(sentence: str) -> str:
    """The sentence itself, cut at a word boundary if it is longer than a quote may be."""
    if len(sentence) <= MAX_QUOTE_LENGTH:
        return sentence
    cut = sentence[: MAX_QUOTE_LENGTH + 1]
    return cut[: cut.rfind(" ")] if " " in cut else cut[:MAX_QUOTE_LENGTH]
