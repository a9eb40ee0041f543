"""Sentences and key terms of a document's text, for English and Korean alike.

Terms are runs of Latin letters/digits or of Hangul, never split on spaces alone: Korean
attaches particles to nouns (``계층은``, ``계층에서``), so a Hangul run is reduced to its
stem by cutting one known particle, and runs that end like a verb or adjective are not
terms. A term's weight is how often its key occurs in the whole document.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_TOKEN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?|[가-힣]+")
_SENTENCE_END = re.compile(r"(?<=[.!?。])\s+")
_TERMINAL = (".", "!", "?", "。")
MAX_TERM_LENGTH = 20
MIN_SENTENCE_LENGTH = 20


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# A copula makes "장치이다" the noun "장치"; particles are tried longest first ("에서" before "에").
_COPULAS = _words("이다 이며 이고 이나")
_PARTICLES = tuple(
    sorted(
        _words("에서는 으로는 에서 으로 에게 까지 부터 처럼 보다 은 는 을 를 의 에 로 와 과 도 만 이 가"),
        key=len,
        reverse=True,
    )
)
_PREDICATE_ENDINGS = _words("다 며 고 면 서 어 여 게 지 하는 되는 있는 없는 인 한 된")
_KOREAN_STOPWORDS = frozenset(
    _words("그리고 또한 서로 다른 모든 기본적 대표적 경우 때문 통해 위해 가장 여러 이러한 그러나")
)
_ENGLISH_STOPWORDS = frozenset(
    _words(
        """about above after again also although among another around because been before being below between
        both called could does doing down during each either every from further have having here into itself
        just like made make many more most much must only onto other over same several should since some such
        than that their them then there these they this those through under until upon used uses using very
        what when where which while whose will with within without would your page part section
        take takes taken occur occurs mostly place known found given show shows"""
    )
)


@dataclass(frozen=True)
class Sentence:
    source_id: int
    page: int
    text: str


@dataclass(frozen=True)
class Term:
    """A key term as written in one sentence: ``key`` is what compares equal across the document."""

    key: str
    surface: str

    @property
    def is_hangul(self) -> bool:
        return bool(re.search(r"[가-힣]", self.surface))


def split_sentences(page_text: str) -> list[str]:
    """Whole sentences of a page, with line wraps joined and headings left out.

    A line that is short and does not end a sentence is a heading or caption: it is not
    the front half of the next sentence.
    """
    lines = [line.strip() for line in page_text.splitlines()]
    longest = max((len(line) for line in lines), default=0)
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        standalone = not line.endswith(_TERMINAL) and len(line) < longest * 0.6
        if not line or standalone:
            paragraphs.append([])
            continue
        paragraphs[-1].append(line)
    sentences: list[str] = []
    for paragraph in paragraphs:
        joined = " ".join(paragraph)
        sentences.extend(
            part.strip()
            for part in _SENTENCE_END.split(joined)
            if part.strip().endswith(_TERMINAL) and len(part.strip()) >= MIN_SENTENCE_LENGTH
        )
    return sentences


def terms_of(text: str) -> list[Term]:
    """Every key-term occurrence in ``text``, in order."""
    return [term for match in _TOKEN.finditer(text) if (term := _term(match.group())) is not None]


def content_keys(text: str) -> set[str]:
    """The keys of ``text``'s terms, for comparing two texts by meaning-bearing words."""
    return {term.key for term in terms_of(text)}


def _term(token: str) -> Term | None:
    if re.fullmatch(r"[가-힣]+", token):
        stem = _korean_stem(token)
        return Term(stem, stem) if stem else None
    key = token.lower()
    if key.isdigit() or key in _ENGLISH_STOPWORDS or len(token) > MAX_TERM_LENGTH:
        return None
    acronym = token.isupper() and len(token) >= 2
    mixed = any(c.isdigit() for c in token) and any(c.isalpha() for c in token)
    if len(token) >= 4 or acronym or mixed:
        return Term(key, token)
    return None


def _korean_stem(token: str) -> str | None:
    copula = next((c for c in _COPULAS if token.endswith(c)), None)
    if copula:
        stem = token[: -len(copula)]
    elif token.endswith(_PREDICATE_ENDINGS):
        return None
    else:
        particle = next((p for p in _PARTICLES if token.endswith(p)), "")
        stem = token[: len(token) - len(particle)]
    # "기본적", "대표적": adjectival nouns make poor answers.
    if len(stem) < 2 or len(stem) > MAX_TERM_LENGTH or stem.endswith("적") or stem in _KOREAN_STOPWORDS:
        return None
    return stem


def blanked(sentence: str, term: Term, replacement: str) -> str:
    """``sentence`` with the first whole-word occurrence of ``term`` replaced.

    A Hangul term is a stem, so it may be followed by a particle but not preceded by Hangul.
    """
    if term.is_hangul:
        pattern = rf"(?<![가-힣]){re.escape(term.surface)}"
    else:
        pattern = rf"(?<![A-Za-z0-9\-]){re.escape(term.surface)}(?![A-Za-z0-9\-])"
    return re.sub(pattern, lambda _: replacement, sentence, count=1)


def term_weights(sentences: Iterable[Sentence]) -> Counter[str]:
    return Counter(term.key for sentence in sentences for term in terms_of(sentence.text))


def ranked_terms(sentence: Sentence, weights: Counter[str]) -> list[Term]:
    """The sentence's distinct terms, most frequent in the document first."""
    first: dict[str, Term] = {}
    for term in terms_of(sentence.text):
        first.setdefault(term.key, term)
    return sorted(first.values(), key=lambda t: (-weights[t.key], -len(t.key), t.key))


def vocabulary(sentences: Sequence[Sentence], weights: Counter[str]) -> list[Term]:
    """Every distinct term of the document, most frequent first, as first written."""
    first: dict[str, Term] = {}
    for sentence in sentences:
        for term in terms_of(sentence.text):
            first.setdefault(term.key, term)
    return sorted(first.values(), key=lambda t: (-weights[t.key], -len(t.key), t.key))
