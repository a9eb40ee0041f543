"""Which language the model is asked to write a set in: the request's, else the service's
``PULLIT_QUESTION_LANGUAGE``, else the member's, else ``PULLIT_DEFAULT_LANGUAGE``."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from pullit_adapters.i18n import CatalogMessages
from pullit_adapters.memory import StaticPageText
from pullit_domain.model.member import ExternalIdentity
from pullit_domain.use_cases.generation import GenerateQuestionSet, GenerationSettings
from pullit_domain.use_cases.members import SignUpMember
from tests.support.generation import POLICY, ScriptedLLM, World


@pytest.mark.parametrize(
    ("member", "service", "request_language", "default", "written_in"),
    [
        ("en", None, None, "ko", "en"),
        ("ko", None, None, "en", "ko"),
        (None, None, None, "ko", "ko"),
        (None, None, None, "en", "en"),
        ("ko", "en", None, "ko", "en"),
        ("ko", "en", "ja", "ko", "ja"),
    ],
)
async def test_the_set_is_written_in_the_chosen_language(
    member: str | None, service: str | None, request_language: str | None, default: str, written_in: str
) -> None:
    llm = ScriptedLLM()
    world = World(llm)
    world.generate = GenerateQuestionSet(
        world.db.unit_of_work,
        world.clock,
        llm,
        world.store,
        POLICY,
        GenerationSettings(language=service),
        StaticPageText(),
        rng=random.Random(7),
        messages=CatalogMessages(default),
    )
    identity = ExternalIdentity("kakao", "7", "Learner", "7@example.com")
    member_id = (await SignUpMember(world.db.unit_of_work, world.clock)(identity, member)).member.id
    assert member_id is not None
    source = await world.source(member_id)

    await world.create(replace(world.request(member_id, source), language=request_language))
    await world.run_worker()

    assert [spec.language for spec in llm.canned.calls] == [written_in]
