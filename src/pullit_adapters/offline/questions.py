"""Writing questions from a document's sentences, deterministically, in the document's language.

The offline writer cannot translate: each question is worded in the language of the document
its sentence comes from (``terms.detect_language``), whatever language the learner uses, so a
question never mixes a Korean frame with English material.

Every question comes from one sentence and one of its key terms (see ``terms.py``):
- short answer: the sentence with the term blanked out; the answer is the term;
- multiple choice: the same blank, with three other terms of the document as distractors;
- true/false: the sentence as written (true) or with the term swapped for a distractor (false);
- subjective: asks what the material says about the term; the model answer is the sentence.
Distractors are terms of the same kind (a Korean noun for a Korean noun, an acronym for an
acronym, a phrase for a phrase), closest to the answer in length and in how common they are,
and never equal to, inside, or an inflection of the answer or each other.
(sentence, term) pairs are taken round-robin over the sentences, so a set covers the whole
document before it asks a second thing about one sentence. EASY sets ask for a document's
most frequent (central) terms first, HARD sets for its rarest, most specific ones.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass

from pullit_adapters.offline.terms import Term, find, related
from pullit_adapters.offline.text import Sentence
from pullit_domain.generation import MAX_QUOTE_LENGTH
from pullit_domain.model.question import Difficulty, QuestionType
from pullit_domain.ports.llm import GeneratedQuestion, GenerationSpec

BLANK = "____"
OPTION_COUNT = 4


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


@dataclass(frozen=True)
class Material:
    """One document's sentences, its language and its key terms."""

    language: str
    sentences: Sequence[Sentence]
    terms: Sequence[Term]


def write_questions(
    materials: Sequence[Material], spec: GenerationSpec, skip: Collection[str] = ()
) -> list[GeneratedQuestion]:
    """Up to ``spec.count`` distinct questions whose texts are not in ``skip``; fewer when the
    text holds too little material."""
    writers = [_Writer(material) for material in materials]
    pairs = list(_pairs(writers, rare_first=spec.difficulty is Difficulty.HARD))
    questions: list[GeneratedQuestion] = []
    seen: set[str] = set(skip)
    asked: set[str] = set()
    # First every term once, then terms again in other sentences: a set should not ask one word five times.
    for first_pass in (True, False):
        for writer, sentence, term in pairs:
            if first_pass and term.key in asked:
                continue
            question = writer.write(spec.question_type, sentence, term)
            if question is None or question.text in seen:
                continue
            seen.add(question.text)
            asked.add(term.key)
            questions.append(question)
            if len(questions) == spec.count:
                return questions
    return questions


def _pairs(writers: Sequence[_Writer], *, rare_first: bool) -> Iterator[tuple[_Writer, Sentence, Term]]:
    ranked = [
        (writer, sentence, writer.ranked(sentence, rare_first)) for writer in writers for sentence in writer.sentences
    ]
    for rank in range(max((len(terms) for _, _, terms in ranked), default=0)):
        for writer, sentence, terms in ranked:
            if rank < len(terms):
                yield writer, sentence, terms[rank]


def _digest(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256("\x00".join(parts).encode()).digest()[:8], "big")


def distractors(answer: Term, sentence: str, vocabulary: Sequence[Term], count: int) -> list[Term]:
    """``count`` terms like ``answer`` that ``sentence`` does not contain, pairwise unrelated."""
    pool = [
        term
        for term in vocabulary
        if term.kind == answer.kind and find(term, sentence) is None and not related(term.surface, answer.surface)
    ]

    def distance(term: Term) -> tuple[float, int]:
        length = abs(len(term.surface) - len(answer.surface)) / max(len(answer.surface), 1)
        # Ties are broken by the pair, so sets vary their distractors but repeat exactly.
        return (round(length + abs(term.zipf - answer.zipf) / 2, 1), _digest(sentence, answer.key, term.key))

    chosen: list[Term] = []
    for term in sorted(pool, key=distance):
        if not any(related(term.surface, other.surface) for other in chosen):
            chosen.append(term)
            if len(chosen) == count:
                return chosen
    return []


class _Writer:
    def __init__(self, material: Material) -> None:
        self.sentences = material.sentences
        self.vocabulary = material.terms
        self.phrases = PHRASES[material.language]
        self.true_statements: set[str] = set()

    def ranked(self, sentence: Sentence, rare_first: bool) -> list[Term]:
        found = [term for term in self.vocabulary if find(term, sentence.text) is not None]
        # "carbon" inside "carbon dioxide": blanking half a phrase leaves the other half as a clue.
        present = [
            term
            for term in found
            if not any(len(other.key) > len(term.key) and term.key in other.key.split() for other in found)
        ]
        if rare_first:
            return sorted(present, key=lambda t: (t.count, t.zipf, t.key))
        return sorted(present, key=lambda t: (-t.count, t.relevance, t.key))

    def write(self, kind: QuestionType, sentence: Sentence, term: Term) -> GeneratedQuestion | None:
        explanation = self.phrases.source.format(page=sentence.page, sentence=sentence.text)
        if kind is QuestionType.TRUE_FALSE:
            return self._true_false(sentence, term, explanation)
        if kind is QuestionType.SUBJECTIVE:
            text = self.phrases.explain.format(term.surface)
            return self._question(kind, sentence, text, sentence.text, explanation)
        found = find(term, sentence.text)
        assert found is not None
        cloze = _replaced(sentence.text, found.start(), found.end(), BLANK)
        # A term written twice in its sentence (or a relative of it) gives its own blank away.
        if term.key in cloze.casefold() or any(related(term.surface, word) for word in cloze.split() if len(word) >= 3):
            return None
        answer = found.group()
        if kind is QuestionType.SHORT_ANSWER:
            return self._question(kind, sentence, self.phrases.fill_in.format(cloze), answer, explanation)
        others = distractors(term, sentence.text, self.vocabulary, OPTION_COUNT - 1)
        if not others:
            return None
        options = (answer, *(_styled(other.surface, answer) for other in others))
        return self._question(kind, sentence, self.phrases.choose.format(cloze), answer, explanation, options)

    def _true_false(self, sentence: Sentence, term: Term, explanation: str) -> GeneratedQuestion | None:
        wants_true = _digest(sentence.text, term.key) % 2 == 0
        if wants_true and sentence.text not in self.true_statements:
            self.true_statements.add(sentence.text)
            return self._question(QuestionType.TRUE_FALSE, sentence, sentence.text, "true", explanation)
        swaps = distractors(term, sentence.text, self.vocabulary, 1)
        found = find(term, sentence.text)
        if not swaps or found is None:
            return None
        statement = _replaced(sentence.text, found.start(), found.end(), swaps[0].surface)
        statement = statement[: found.start()] + with_particle(statement[found.start() :], swaps[0].surface)
        return self._question(QuestionType.TRUE_FALSE, sentence, statement, "false", explanation)

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


def _styled(surface: str, like: str) -> str:
    """A lower-case distractor capitalised like a sentence-initial answer, so case gives nothing away."""
    if like[:1].isupper() and surface[:1].islower():
        return surface[:1].upper() + surface[1:]
    return surface


_HANGUL_START = re.compile(r"[가-힣]")
_PARTICLES = (("은", "는"), ("이", "가"), ("을", "를"), ("과", "와"), ("으로", "로"))


def with_particle(text: str, noun: str) -> str:
    """``text`` starts with ``noun``; its Korean particle is made to agree with the noun's last sound
    ("계층은" swapped to "하위" must read "하위는")."""
    last = noun[-1:]
    if not ("가" <= last <= "힣"):
        return text
    coda = (ord(last) - ord("가")) % 28
    rest = text[len(noun) :]
    for after_consonant, after_vowel in _PARTICLES:
        for particle in (after_consonant, after_vowel):
            # A particle ends its word; "이다" (a copula) or "이름" are not particles.
            if rest.startswith(particle) and not _HANGUL_START.match(rest[len(particle) :]):
                # "로" also follows a final ㄹ (8 = ㄹ in the Unicode syllable order).
                if after_vowel == "로":
                    wanted = after_vowel if coda in (0, 8) else after_consonant
                else:
                    wanted = after_consonant if coda else after_vowel
                return noun + wanted + rest[len(particle) :]
    return text


def _replaced(text: str, start: int, end: int, replacement: str) -> str:
    return text[:start] + replacement + text[end:]
