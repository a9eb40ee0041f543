"""A document's key terms, chosen with maintained libraries rather than hand rules.

- English: ``yake`` ranks the document's own keywords (statistics of the text itself, no model).
- Korean: ``kiwipiepy`` finds nouns (its model ships as the ``kiwipiepy-model`` package), with
  derived nouns joined to their suffix (``캡슐`` + ``화``); ``yake`` then ranks them like English words.
- ``wordfreq`` says how common a term is in the language at large (Zipf scale: 7 = "the",
  3 = rare). Common words (Zipf >= ``COMMON_ZIPF``) tell nothing about the material and are not
  asked; distractors are picked close to the answer's frequency.

A term's ``kind`` groups what may stand in for each other as options: a Korean noun for a
Korean noun, an acronym for an acronym, a two-word phrase for a two-word phrase.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import Any

# yake, kiwipiepy, wordfreq and snowballstemmer are imported where first used: together they
# take seconds to import, which every web process would pay at start for a generator it may not run.

COMMON_ZIPF = 5.0
MAX_TERM_LENGTH = 20
_HANGUL = re.compile(r"[가-힣]")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9\-]*[A-Za-z0-9]|[A-Za-z]")
_ACRONYM = re.compile(r"[A-Z][A-Z0-9]*[A-Z0-9]|[A-Z]?[0-9]+[A-Z]+|[A-Z]+[0-9]+")
# An English word is taken as a noun when the document writes it after one of these at least once.
_NOUN_CONTEXT = frozenset(
    {
        "the",
        "a",
        "an",
        "of",
        "in",
        "into",
        "on",
        "from",
        "with",
        "by",
        "for",
        "as",
        "such",
        "these",
        "this",
        "those",
        "each",
        "its",
        "their",
        "his",
        "her",
        "our",
        "your",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "one",
        "many",
        "several",
        "some",
        "most",
        "all",
        "both",
    }
)
_CLAUSE_STARTS = frozenset(["so", "that", "the", "a", "an", "it", "this"])
# Past participles and adverbs are not what a blank should ask for.
_NOT_NOUN_ENDINGS = ("ed", "ly")
_NOUN_TAGS = frozenset({"NNG", "NNP"})
_PREDICATE_SUFFIXES = frozenset({"XSV", "XSA"})
_kiwi_lock = threading.Lock()


@dataclass(frozen=True)
class Term:
    """``key`` compares equal across the document; ``surface`` is as written there."""

    key: str
    surface: str
    kind: str
    zipf: float
    count: int
    relevance: float  # yake's score: lower is more characteristic of the document

    @property
    def is_hangul(self) -> bool:
        return bool(_HANGUL.search(self.surface))


def detect_language(text: str) -> str:
    """``ko`` when Hangul makes up a real share of the letters, else ``en``."""
    hangul = len(_HANGUL.findall(text))
    latin = len(re.findall(r"[A-Za-z]", text))
    return "ko" if hangul and hangul * 2 >= latin * 0.5 else "en"


@cache
def _kiwi() -> Any:
    from kiwipiepy import Kiwi  # type: ignore[import-untyped]

    return Kiwi()


@cache
def _korean_frequencies() -> dict[str, float]:
    from wordfreq import get_frequency_dict

    # wordfreq's own Korean tokenizer needs MeCab; Kiwi has already cut the nouns, so look them up.
    frequencies: dict[str, float] = get_frequency_dict("ko")
    return frequencies


@cache
def _english_stemmer() -> Any:
    from snowballstemmer import stemmer  # type: ignore[import-untyped]

    return stemmer("english")


@cache
def _stem(word: str) -> str:
    return str(_english_stemmer().stemWord(word.casefold()))


def zipf_of(surface: str) -> float:
    """How common ``surface`` is in its language (0 = unknown), as wordfreq measures it."""
    from wordfreq import freq_to_zipf, zipf_frequency

    if not _HANGUL.search(surface):
        return float(zipf_frequency(surface, "en"))
    frequencies = _korean_frequencies()
    parts = surface.split()
    inverse = 0.0
    for part in parts:
        frequency = frequencies.get(part, 0.0)
        if frequency <= 0:
            return 0.0
        inverse += 1 / frequency
    return round(float(freq_to_zipf(1 / inverse)), 2)


def stems(surface: str) -> tuple[str, ...]:
    """The term's words reduced to stems: inflections of one word share them."""
    return tuple(_stem(word) if not _HANGUL.search(word) else word for word in surface.split())


def normalised(surface: str) -> str:
    return " ".join(surface.casefold().split())


def related(a: str, b: str) -> bool:
    """Equal after normalisation, one inside the other, or the same stems: never two options at once."""
    x, y = normalised(a), normalised(b)
    if x == y or x in y or y in x:
        return True
    stems_x, stems_y = stems(a), stems(b)
    return stems_x == stems_y or bool(set(stems_x) & set(stems_y) and (len(stems_x) == 1 or len(stems_y) == 1))


def _kind(surface: str, hangul: bool) -> str:
    words = len(surface.split())
    if hangul:
        return f"ko-{words}"
    if _ACRONYM.fullmatch(surface):
        return "acronym"
    return f"en-{words}"


def _rank(text: str, language: str, top: int) -> dict[str, float]:
    import yake  # type: ignore[import-untyped]

    extractor = yake.KeywordExtractor(lan=language, n=2, top=top, dedupLim=0.95)
    return {normalised(keyword): float(score) for keyword, score in extractor.extract_keywords(text)}


def english_terms(text: str) -> list[Term]:
    """Nouns and two-word phrases of an English text that are characteristic of it and not common."""
    flat = " ".join(text.split())
    matches = list(_LATIN_WORD.finditer(flat))
    words = [match.group() for match in matches]
    counts = Counter(normalised(word) for word in words)
    first_written: dict[str, str] = {}
    noun_like: set[str] = set()
    lower_somewhere: set[str] = set()
    capital_inside: set[str] = set()
    for previous, match in zip([None, *matches], matches, strict=False):
        word, key = match.group(), normalised(match.group())
        opens = previous is None or bool(re.search(r"[.!?:;—]\s*$", flat[previous.end() : match.start()]))
        # A spelling that is lower case (not capitalised for a sentence start) wins.
        if key not in first_written or (first_written[key][0].isupper() and word[0].islower()):
            first_written[key] = word
        if word[0].islower():
            lower_somewhere.add(key)
        elif not opens:
            capital_inside.add(key)
        before = previous.group().casefold() if previous else ""
        if before in _NOUN_CONTEXT or _ACRONYM.fullmatch(word) or (word[0].isupper() and not opens):
            noun_like.add(key)
    names = capital_inside - lower_somewhere
    # A phrase is a term when written twice, and after a determiner or as a name ("Alan Turing").
    phrases = Counter(normalised(f"{a} {b}") for a, b in itertools.pairwise(words) if f"{a} {b}" in flat)
    named_phrases = {
        normalised(f"{a} {b}")
        for before, a, b in zip([".", *words], words, words[1:], strict=False)
        if before.casefold() in _NOUN_CONTEXT or (a[0].isupper() and b[0].isupper())
    }
    # "This page repeats so that ...": a subject and its verb, not a term.
    named_phrases -= {
        normalised(f"{a} {b}")
        for a, b, after in zip(words, words[1:], words[2:], strict=False)
        if after.casefold() in _CLAUSE_STARTS
    }
    ranked = _rank(text, "en", top=max(40, len(counts)))
    terms = []
    for key, relevance in ranked.items():
        parts = key.split()
        if len(parts) == 1:
            if key not in noun_like or len(key) < 3 or key.isdigit() or key.endswith(_NOT_NOUN_ENDINGS):
                continue
            surface, count = first_written[key], counts[key]
        else:
            if phrases[key] < 2 or key not in named_phrases:
                continue
            surface = " ".join(first_written.get(part, part) for part in parts)
            count = phrases[key]
        if len(surface) > MAX_TERM_LENGTH:
            continue
        zipf = zipf_of(surface)
        if zipf < COMMON_ZIPF:
            kind = _kind(surface, hangul=False)
            # Names stand in for names ("Calvin" for "Turing"), not for nouns ("carbon").
            if kind.startswith("en-") and any(part in names for part in parts):
                kind = f"name-{len(parts)}"
            terms.append(Term(key, surface, kind, zipf, count, relevance))
    return terms


def _korean_nouns(text: str) -> tuple[list[tuple[str, int, int]], set[str]]:
    """Nouns as written with their spans: derived nouns whole (``캡슐화``, ``신뢰성``), adjacent
    nouns without a space between them as one compound. Also the nouns used as verbs
    (``담당``-하다, ``전달``-한다): a blank for them asks for a verb."""
    with _kiwi_lock:  # Kiwi objects are not documented as thread-safe; generation runs in threads.
        tokens = _kiwi().tokenize(text)
    nouns: list[tuple[str, int, int]] = []
    verbal: set[str] = set()
    start = end = -1
    for token in tokens:
        if token.tag in _PREDICATE_SUFFIXES and start >= 0 and token.start == end:
            verbal.add(text[start:end])
        is_noun = token.tag in _NOUN_TAGS or token.tag == "SL"
        if start >= 0 and token.start == end and (is_noun or token.tag == "XSN"):
            end = token.start + token.len
            continue
        if start >= 0:
            nouns.append((text[start:end], start, end))
        start, end = (token.start, token.start + token.len) if is_noun else (-1, -1)
    if start >= 0:
        nouns.append((text[start:end], start, end))
    return nouns, verbal


def korean_terms(text: str) -> list[Term]:
    """Nouns, noun phrases written twice or more, and acronyms of a Korean text.

    yake ranks what it can (it skips words under three letters, and most Korean nouns have
    two syllables); the rest follow, the more frequent in the document first.
    """
    flat = " ".join(text.split())
    nouns, verbal = _korean_nouns(flat)
    counts = Counter(normalised(noun) for noun, _, _ in nouns)
    written = {normalised(noun): noun for noun, _, _ in nouns}
    phrases = Counter(
        normalised(f"{a} {b}") for (a, _, end), (b, start, _) in itertools.pairwise(nouns) if start == end + 1
    )
    for key, count in phrases.items():
        if count >= 2:
            counts[key] = count
            written[key] = " ".join(written[part] for part in key.split())
    ranked = _rank(" ".join(noun for noun, _, _ in nouns), "ko", top=max(40, len(counts)))
    terms = []
    for key, count in counts.items():
        surface = written[key]
        hangul = bool(_HANGUL.search(surface))
        # "대표적", "기본적": adjectival nouns make poor answers.
        if hangul and (len(surface) < 2 or surface.endswith("적") or surface in verbal):
            continue
        if not hangul and not _ACRONYM.fullmatch(surface) and len(surface) < 4:
            continue
        if len(surface) > MAX_TERM_LENGTH:
            continue
        zipf = zipf_of(surface)
        if zipf < COMMON_ZIPF:
            relevance = ranked.get(key, 1 + 1 / (1 + count))
            terms.append(Term(key, surface, _kind(surface, hangul), zipf, count, relevance))
    return sorted(terms, key=lambda term: (term.relevance, term.key))


def document_terms(text: str, language: str) -> list[Term]:
    return korean_terms(text) if language == "ko" else english_terms(text)


def occurs_in(term: Term, sentence: str) -> bool:
    return find(term, sentence) is not None


def find(term: Term, sentence: str) -> re.Match[str] | None:
    """The first whole-word occurrence of ``term`` in ``sentence`` (a Korean noun may carry a particle)."""
    words = [re.escape(word) for word in term.surface.split()]
    body = r"\s+".join(words)
    before = r"(?<![가-힣A-Za-z0-9])" if term.is_hangul else r"(?<![A-Za-z0-9\-])"
    after = "" if term.is_hangul else r"(?![A-Za-z0-9\-])"
    pattern = before + body + after
    return re.search(pattern, sentence, flags=0 if term.is_hangul or _ACRONYM.fullmatch(term.surface) else re.I)
