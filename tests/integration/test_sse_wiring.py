"""In the running app, a commit that records a notification is relayed at once, not at the next poll."""

from __future__ import annotations

import asyncio
from pathlib import Path

from pullit_domain.model.notification import QuestionSetCompletion
from pullit_web.bootstrap.app import create_app
from tests.support.app import make_settings
from tests.support.members import sign_in


async def test_a_notification_committed_in_process_is_published_without_waiting_for_the_poll(
    tmp_path: Path, sqlite_url: str
) -> None:
    settings = make_settings(tmp_path, database_url=sqlite_url, outbox_poll_seconds="3600", run_outbox_relay="true")
    app = create_app(settings)
    container = app.state.container
    # The app's own startup and shutdown hooks, in this event loop (a test client would run them in another).
    await container.init_resources()
    try:
        learner = await sign_in(app)
        subscription = container.notifier().subscribe(learner.member_id)
        try:
            async with container.unit_of_work() as uow:
                recorded = await container.record_notification()(
                    uow, learner.member_id, QuestionSetCompletion.failed(5, "quota exhausted")
                )
                await uow.commit()
            async with asyncio.timeout(5):
                delivered = await anext(subscription)
        finally:
            await subscription.aclose()
    finally:
        await container.shutdown_resources()
    assert delivered == recorded
    assert delivered.name == "questionSetCreationComplete"
