"""The shape of Gemini's replies.

The strict msgspec types tell Gemini what to write, through ``msgspec.json.schema``
(``responseJsonSchema``). A reply is read leniently, question by question: one question
that breaks a rule (an over-long short answer, a missing quote) is translated as written
and dropped by the generation use case, costing that question, not the set. Only a reply
that is not JSON, or has no list of questions, fails as a whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

import msgspec
from msgspec import Meta, Struct

from pullit_domain.generation import MAX_QUOTE_LENGTH, MAX_SHORT_ANSWER_LENGTH, OPTION_COUNT
from pullit_domain.model.question import QuestionType
from pullit_domain.ports.llm import GeneratedQuestion, GeneratedQuestionSet, GenerationFailed, Grade, SourceDocument

Text = Annotated[str, Meta(min_length=1)]
DocumentNumber = Annotated[int, Meta(ge=1, description="Number of the document the question is based on (1 = first).")]
Page = Annotated[int, Meta(ge=1, description="Page of that document (1 = first page) where the answer is stated.")]
Explanation = Annotated[str, Meta(description="Why the answer is right, citing the material.")]
Quote = Annotated[
    str,
    Meta(
        min_length=1,
        max_length=MAX_QUOTE_LENGTH,
        description="One to three sentences copied word for word from that page that support the answer.",
    ),
]


class MultipleChoiceQuestion(Struct):
    question: Text
    options: Annotated[list[Text], Meta(min_length=OPTION_COUNT, max_length=OPTION_COUNT)]
    answer: Annotated[str, Meta(min_length=1, description="The correct option, written exactly as in options.")]
    explanation: Explanation
    document: DocumentNumber
    page: Page
    quote: Quote


class TrueFalseQuestion(Struct):
    question: Annotated[str, Meta(min_length=1, description="A statement that is either true or false.")]
    answer: Annotated[bool, Meta(description="Whether the statement is true according to the material.")]
    explanation: Explanation
    document: DocumentNumber
    page: Page
    quote: Quote


class ShortAnswerQuestion(Struct):
    question: Text
    answer: Annotated[str, Meta(min_length=1, max_length=MAX_SHORT_ANSWER_LENGTH)]
    explanation: Explanation
    document: DocumentNumber
    page: Page
    quote: Quote


class SubjectiveQuestion(Struct):
    question: Text
    answer: Annotated[str, Meta(min_length=1, description="A model answer, used as the marking rubric.")]
    explanation: Explanation
    document: DocumentNumber
    page: Page
    quote: Quote


class MultipleChoiceReply(Struct):
    title: Text
    questions: list[MultipleChoiceQuestion]


class TrueFalseReply(Struct):
    title: Text
    questions: list[TrueFalseQuestion]


class ShortAnswerReply(Struct):
    title: Text
    questions: list[ShortAnswerQuestion]


class SubjectiveReply(Struct):
    title: Text
    questions: list[SubjectiveQuestion]


AnyReply = MultipleChoiceReply | TrueFalseReply | ShortAnswerReply | SubjectiveReply

REPLY_TYPES: dict[QuestionType, type[AnyReply]] = {
    QuestionType.MULTIPLE_CHOICE: MultipleChoiceReply,
    QuestionType.TRUE_FALSE: TrueFalseReply,
    QuestionType.SHORT_ANSWER: ShortAnswerReply,
    QuestionType.SUBJECTIVE: SubjectiveReply,
}


class GradeReply(Struct):
    score: Annotated[float, Meta(ge=0.0, le=1.0, description="0 = wrong or empty, 1 = fully correct.")]
    feedback: Annotated[str, Meta(description="One or two sentences for the learner.")]


# The JSON Schema keywords Gemini's structured output understands; msgspec's "title"s and
# "$ref"s are dropped and inlined, since older models reject them.
_KEYWORDS = frozenset(
    {"type", "description", "enum", "items", "minItems", "maxItems", "minLength", "maxLength", "minimum", "maximum"}
)


def gemini_schema(reply_type: type[Struct], count: int | None = None) -> dict[str, Any]:
    """``msgspec.json.schema(reply_type)`` as Gemini accepts it; ``count`` fixes the number of questions."""
    full = msgspec.json.schema(reply_type)
    schema = _inline(full, full.get("$defs", {}))
    if count is not None:
        schema["properties"]["questions"].update(minItems=count, maxItems=count)
    return schema


def _inline(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in node:
        return _inline(defs[node["$ref"].rsplit("/", 1)[-1]], defs)
    out = {key: value for key, value in node.items() if key in _KEYWORDS}
    if "items" in node:
        out["items"] = _inline(node["items"], defs)
    if "properties" in node:
        out["properties"] = {name: _inline(sub, defs) for name, sub in node["properties"].items()}
        out["required"] = list(node.get("required", ()))
    return out


class WrittenQuestion(Struct):
    """One question as Gemini wrote it, whatever it breaks; the domain judges it."""

    question: str = ""
    options: list[str] | None = None
    answer: str | bool | int | float | None = None
    explanation: str = ""
    document: int = 0
    page: int = 0
    quote: str = ""


class WrittenReply(Struct):
    questions: list[msgspec.Raw]
    title: str = ""


def decode_reply(text: str) -> WrittenReply:
    try:
        return msgspec.json.decode(text, type=WrittenReply)
    except msgspec.DecodeError as error:
        raise GenerationFailed("Gemini wrote malformed JSON: {error}", error=error) from None
    except msgspec.ValidationError as error:
        raise GenerationFailed("Gemini's reply does not fit the schema: {error}", error=error) from None


def decode_grade(text: str) -> Grade:
    try:
        reply = msgspec.json.decode(text, type=GradeReply)
    except (msgspec.DecodeError, msgspec.ValidationError) as error:
        raise GenerationFailed("Gemini wrote an unusable grade: {error}", error=error) from None
    return Grade(score=reply.score, feedback=reply.feedback)


def to_question_set(
    reply: WrittenReply, kind: QuestionType, documents: Sequence[SourceDocument], input_tokens: int, output_tokens: int
) -> GeneratedQuestionSet:
    questions: list[GeneratedQuestion] = []
    for raw in reply.questions:
        try:
            item = msgspec.json.decode(raw, type=WrittenQuestion)
        except (msgspec.DecodeError, msgspec.ValidationError):
            continue
        questions.append(_question(item, kind, documents))
    return GeneratedQuestionSet(
        title=reply.title,
        questions=tuple(questions),
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        unreadable=len(reply.questions) - len(questions),
    )


def _question(item: WrittenQuestion, kind: QuestionType, documents: Sequence[SourceDocument]) -> GeneratedQuestion:
    cited = documents[item.document - 1] if 1 <= item.document <= len(documents) else None
    return GeneratedQuestion(
        question_type=kind,
        text=item.question,
        answer=_answer_text(item.answer),
        explanation=item.explanation,
        options=tuple(item.options) if item.options is not None else None,
        source_id=cited.source_id if cited else None,
        page=item.page,
        quote=item.quote,
    )


def _answer_text(answer: str | bool | int | float | None) -> str:
    if isinstance(answer, bool):
        return "true" if answer else "false"
    return "" if answer is None else str(answer)
