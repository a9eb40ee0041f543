"""The dependency-injector container: picks adapters from settings and owns their lifetimes.

Everything is built synchronously; adapters that hold connections are closed by the
``*_lifetime`` resources when the app shuts down.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from dependency_injector import containers, providers
from sqlalchemy.ext.asyncio import AsyncEngine

from pullit_adapters.clock import SystemClock
from pullit_adapters.fsrs_scheduler import FsrsScheduler
from pullit_adapters.gemini import GeminiLLM
from pullit_adapters.i18n import CatalogMessages
from pullit_adapters.instrumented_llm import InstrumentedLLM
from pullit_adapters.local_store import LocalFileStore
from pullit_adapters.metrics import count_screening
from pullit_adapters.notifier_redis import notifier_for
from pullit_adapters.notifier_redis import notifier_lifetime as _notifier_lifetime
from pullit_adapters.offline import OfflineLLM
from pullit_adapters.outbox import OutboxRelay
from pullit_adapters.page_text import PdfiumPageText
from pullit_adapters.pdf import PypdfPageCounter
from pullit_adapters.s3_store import S3FileStore
from pullit_adapters.sql.engine import create_engine, session_factory
from pullit_adapters.sql.reads_question_sets import SqlQuestionSetReads
from pullit_adapters.sql.reads_sources import SqlSourceReads
from pullit_adapters.sql.reads_stats import SqlStatsReads
from pullit_adapters.sql.reads_wrong_answers import SqlWrongAnswerReads
from pullit_adapters.sql.unit_of_work import SqlUnitOfWork
from pullit_adapters.tokens import JwtAccessTokens
from pullit_domain.events import NotificationRecorded, QuestionSetRequested, SourceUploaded
from pullit_domain.ports.clock import Clock
from pullit_domain.ports.file_store import FileStore
from pullit_domain.use_cases.admin import SetAdminRole
from pullit_domain.use_cases.auth import ConsumeLoginState, RefreshSession, SignIn, SignOut
from pullit_domain.use_cases.card_reviews import CardReviewer
from pullit_domain.use_cases.folders import (
    CreateFolder,
    DeleteFolder,
    FolderDeleteWarning,
    GetFolder,
    ListFolders,
    UpdateFolder,
)
from pullit_domain.use_cases.generation import (
    ClaimGenerationJob,
    ExpireStalePendingSets,
    GenerateQuestionSet,
    RenewGenerationLease,
)
from pullit_domain.use_cases.marking import MarkAnswers
from pullit_domain.use_cases.member_turns import MemberTurns
from pullit_domain.use_cases.members import GetMember, MemberSettingsUseCase, SignUpMember
from pullit_domain.use_cases.notifications import OpenMemberEventStream, RecordNotification
from pullit_domain.use_cases.question_sets import (
    CreateQuestionSet,
    DeleteQuestionSet,
    ListQuestionSets,
    RetryQuestionSet,
    UpdateQuestionSet,
)
from pullit_domain.use_cases.questions import ManageQuestions
from pullit_domain.use_cases.reviews import (
    GetDueCards,
    GetForecast,
    GetReviewStats,
    ReviewQuestion,
    ReviewSettingsUseCase,
)
from pullit_domain.use_cases.sources import (
    CompleteUpload,
    DeleteSource,
    GetDownloadLink,
    IssueUploadPermit,
    ListSources,
    ReadPageCounts,
    RetryObjectDeletions,
)
from pullit_domain.use_cases.stats import GetDailyStats, GetLearningProgress, GetLearningStats, ProjectLearningEvents
from pullit_domain.use_cases.wrong_answers import ListWrongAnswers, OpenQuestionSet
from pullit_web.bootstrap.identity_providers import build_identity_providers
from pullit_web.http.health import Readiness
from pullit_web.http.login_cookie import LoginCookies
from pullit_web.http.paths import LOCAL_FILES_PATH
from pullit_web.http.rate_counters import rate_counter_for
from pullit_web.runtime.background import BackgroundRunner
from pullit_web.runtime.events import EventDispatcher
from pullit_web.runtime.generation_worker import GenerationWorker
from pullit_web.runtime.loop import DurableLoop, woken_by
from pullit_web.settings import Settings


async def _disposed_on_shutdown(engine: AsyncEngine) -> AsyncIterator[AsyncEngine]:
    yield engine
    await engine.dispose()


async def _closed_on_shutdown(store: object) -> AsyncIterator[object]:
    yield store
    close = getattr(store, "aclose", None)
    if close is not None:
        await close()


def _question_writer(settings: Settings) -> GeminiLLM | OfflineLLM:
    """Gemini when an API key is configured, else the offline generator (README "Question generation")."""
    if settings.gemini_api_key:
        return GeminiLLM(
            api_key=settings.gemini_api_key,
            model=settings.gemini_model,
            base_url=settings.gemini_base_url,
            timeout_seconds=settings.gemini_timeout_seconds,
            inline_limit=int(settings.gemini_inline_limit_mb * 1024 * 1024),
            language=settings.question_language or settings.default_language,
        )
    return OfflineLLM(
        max_pages=settings.max_pdf_pages, language=settings.question_language or settings.default_language
    )


def _file_store(settings: Settings, clock: Clock) -> FileStore:
    if settings.storage == "s3":
        return S3FileStore(
            settings.s3_bucket,
            clock,
            region=settings.s3_region,
            endpoint_url=settings.s3_endpoint_url,
            access_key_id=settings.s3_access_key_id,
            secret_access_key=settings.s3_secret_access_key,
        )
    files_url = settings.files_base_url + LOCAL_FILES_PATH
    return LocalFileStore(settings.data_dir / "files", files_url, settings.secret_key, clock)


class Container(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)

    clock = providers.Singleton(SystemClock)
    # Learner-facing text from the gettext catalogs (README "Languages").
    messages = providers.Singleton(CatalogMessages, settings.provided.default_language)

    engine = providers.Singleton(
        create_engine,
        settings.provided.database_url,
        echo=settings.provided.sql_echo,
        pool_size=settings.provided.db_pool_size,
        max_overflow=settings.provided.db_max_overflow,
        pool_timeout=settings.provided.db_pool_timeout_seconds,
    )
    engine_lifetime = providers.Resource(_disposed_on_shutdown, engine)
    sessions = providers.Singleton(session_factory, engine)
    # Committed domain events go to one dispatcher; the loops subscribe to what wakes them.
    events = providers.Singleton(EventDispatcher)
    # A unit of work per transaction. The use cases below hold this factory, not a unit of work,
    # and keep nothing between calls, so each is built once: as Factories they were rebuilt, with
    # every argument resolved again, on each request.
    unit_of_work = providers.Factory(SqlUnitOfWork, sessions, dispatch=events)

    # Live notifications (README "Live notifications"): outbox in the database, fan-out by Redis.
    notifier = providers.Singleton(notifier_for, settings.provided.redis_url, settings.provided.redis_channel)
    notifier_lifetime = providers.Resource(_notifier_lifetime, notifier)
    record_notification = providers.Singleton(RecordNotification, clock=clock)
    outbox_relay = providers.Singleton(
        OutboxRelay,
        uow=unit_of_work.provider,
        publisher=notifier,
        clock=clock,
    )
    outbox_loop = providers.Singleton(
        DurableLoop,
        "outbox",
        outbox_relay.provided.round,
        settings.provided.outbox_poll_seconds,
        failure="notifications not published; will retry",
    )
    outbox_relay_lifetime = providers.Resource(
        woken_by, outbox_loop, events, NotificationRecorded, settings.provided.run_outbox_relay
    )

    open_member_event_stream = providers.Singleton(
        OpenMemberEventStream,
        uow=unit_of_work.provider,
        notifier=notifier,
        heartbeat_seconds=settings.provided.sse_heartbeat_seconds,
    )

    # The LLM port; its HTTP client (Gemini) is closed with the app.
    llm = providers.Singleton(_question_writer, settings)
    llm_lifetime = providers.Resource(_closed_on_shutdown, llm)
    # What the use cases call: the same adapter, timed and its tokens counted for /metrics.
    measured_llm = providers.Singleton(InstrumentedLLM, llm)

    access_tokens = providers.Singleton(
        JwtAccessTokens,
        secret=settings.provided.secret_key,
        clock=clock,
        issuer=settings.provided.jwt_issuer,
        audience=settings.provided.jwt_audience,
        lifetime=settings.provided.access_token_lifetime,
    )

    readiness = providers.Singleton(Readiness, engine=engine, broker=notifier)

    # Rate limits (README "Limits"): counted in Redis when configured, so they hold across instances.
    rate_counter = providers.Singleton(
        rate_counter_for, settings.provided.redis_url, settings.provided.rate_limit_key_prefix
    )
    rate_counter_lifetime = providers.Resource(_closed_on_shutdown, rate_counter)

    sign_up_member = providers.Singleton(SignUpMember, uow=unit_of_work.provider, clock=clock)
    get_member = providers.Singleton(GetMember, uow=unit_of_work.provider)
    member_settings = providers.Singleton(MemberSettingsUseCase, uow=unit_of_work.provider, messages=messages)

    # Sign-in and sessions (README "Sign-in").
    identity_providers = providers.Singleton(build_identity_providers, settings, clock, unit_of_work.provider)
    login_cookies = providers.Singleton(LoginCookies, secret=settings.provided.secret_key, clock=clock)
    sign_in = providers.Singleton(
        SignIn,
        sign_up=sign_up_member,
        uow=unit_of_work.provider,
        clock=clock,
        access_tokens=access_tokens,
        refresh_lifetime=settings.provided.refresh_token_lifetime,
    )
    refresh_session = providers.Singleton(
        RefreshSession,
        uow=unit_of_work.provider,
        clock=clock,
        access_tokens=access_tokens,
        refresh_lifetime=settings.provided.refresh_token_lifetime,
    )
    sign_out = providers.Singleton(SignOut, uow=unit_of_work.provider, clock=clock)
    consume_login_state = providers.Singleton(ConsumeLoginState, uow=unit_of_work.provider, clock=clock)
    set_admin_role = providers.Singleton(SetAdminRole, uow=unit_of_work.provider)

    # Study material (README "Study material and storage").
    file_store = providers.Singleton(_file_store, settings, clock)
    file_store_lifetime = providers.Resource(_closed_on_shutdown, file_store)
    issue_upload_permit = providers.Singleton(
        IssueUploadPermit, store=file_store, clock=clock, max_size=settings.provided.max_upload_bytes
    )
    complete_upload = providers.Singleton(CompleteUpload, uow=unit_of_work.provider, store=file_store, clock=clock)
    # Read-only: straight Core queries, no unit of work; stateless, so built once.
    list_sources = providers.Singleton(ListSources, reads=providers.Singleton(SqlSourceReads, engine))
    get_download_link = providers.Singleton(GetDownloadLink, uow=unit_of_work.provider, store=file_store)
    delete_source = providers.Singleton(DeleteSource, uow=unit_of_work.provider, store=file_store, clock=clock)

    # Durable background work of this process; other features add their jobs here. It has
    # its own connections (a small pool and its own store client): it runs on the loop that
    # ran startup, which need not be the loop serving requests (test clients), and it must
    # never starve request handling of connections.
    background_engine = providers.Singleton(
        create_engine, settings.provided.database_url, echo=settings.provided.sql_echo, pool_size=2
    )
    background_engine_lifetime = providers.Resource(_disposed_on_shutdown, background_engine)
    background_unit_of_work = providers.Factory(
        SqlUnitOfWork, providers.Singleton(session_factory, background_engine), dispatch=events
    )
    background_file_store = providers.Singleton(_file_store, settings, clock)
    background_file_store_lifetime = providers.Resource(_closed_on_shutdown, background_file_store)
    read_page_counts = providers.Singleton(
        ReadPageCounts,
        uow=background_unit_of_work.provider,
        store=background_file_store,
        pages=providers.Singleton(PypdfPageCounter),
    )
    retry_object_deletions = providers.Singleton(
        RetryObjectDeletions, uow=background_unit_of_work.provider, store=background_file_store
    )
    # Learning stats left unprojected after a marking commit (crash, another instance).
    sweep_learning_events = providers.Singleton(
        ProjectLearningEvents, uow=background_unit_of_work.provider, clock=clock, zone=settings.provided.zone
    )
    background = providers.Singleton(
        BackgroundRunner,
        jobs=providers.Dict(
            source_page_counts=read_page_counts,
            store_deletions=retry_object_deletions,
            learning_stats=sweep_learning_events,
        ),
    )
    background_lifetime = providers.Resource(woken_by, background, events, SourceUploaded)

    # Question sets and their generation worker (README "Question sets and the worker").
    generation_policy = providers.Callable(lambda settings: settings.generation_policy, settings)
    # The worker is background work too: it uses the background pool and store client.
    claim_generation_job = providers.Singleton(
        ClaimGenerationJob,
        uow=background_unit_of_work.provider,
        clock=clock,
        policy=generation_policy,
        messages=messages,
    )
    generate_question_set = providers.Singleton(
        GenerateQuestionSet,
        uow=background_unit_of_work.provider,
        clock=clock,
        llm=measured_llm,
        store=background_file_store,
        policy=generation_policy,
        settings=providers.Callable(lambda settings: settings.generation_settings, settings),
        page_text=providers.Singleton(PdfiumPageText),
        on_screened=providers.Object(count_screening),
        messages=messages,
    )
    expire_stale_sets = providers.Singleton(
        ExpireStalePendingSets,
        uow=background_unit_of_work.provider,
        clock=clock,
        policy=generation_policy,
        messages=messages,
    )
    renew_generation_lease = providers.Singleton(
        RenewGenerationLease, uow=background_unit_of_work.provider, clock=clock, policy=generation_policy
    )
    generation_worker = providers.Singleton(
        GenerationWorker,
        claim=claim_generation_job,
        generate=generate_question_set,
        expire=expire_stale_sets,
        renew=renew_generation_lease,
        concurrency=settings.provided.worker_concurrency,
        poll_seconds=settings.provided.worker_poll_seconds,
        lease_seconds=settings.provided.generation_lease_seconds,
    )
    generation_worker_lifetime = providers.Resource(
        woken_by, generation_worker, events, QuestionSetRequested, settings.provided.run_worker
    )
    create_question_set = providers.Singleton(
        CreateQuestionSet,
        uow=unit_of_work.provider,
        clock=clock,
        policy=generation_policy,
    )
    # Read-only pages: straight Core queries, no unit of work.
    question_set_reads = providers.Singleton(SqlQuestionSetReads, engine)
    list_question_sets = providers.Singleton(ListQuestionSets, reads=question_set_reads)
    update_question_set = providers.Singleton(UpdateQuestionSet, uow=unit_of_work.provider, clock=clock)
    delete_question_set = providers.Singleton(DeleteQuestionSet, uow=unit_of_work.provider, clock=clock)
    retry_question_set = providers.Singleton(RetryQuestionSet, uow=unit_of_work.provider, clock=clock)
    manage_questions = providers.Singleton(ManageQuestions, uow=unit_of_work.provider, clock=clock)

    # Solving, the wrong-answer note, folders and stats (README "Solving and stats").
    project_learning_events = providers.Singleton(
        ProjectLearningEvents, uow=unit_of_work.provider, clock=clock, zone=settings.provided.zone
    )
    # Spaced review (docs/api.md "Review"): every answer reviews the member's FSRS card.
    card_reviewer = providers.Singleton(CardReviewer, scheduler=providers.Singleton(FsrsScheduler))
    mark_answers = providers.Singleton(
        MarkAnswers,
        uow=unit_of_work.provider,
        clock=clock,
        grader=measured_llm,
        pass_score=settings.provided.subjective_pass_score,
        projector=project_learning_events,
        reviewer=card_reviewer,
        turns=providers.Singleton(MemberTurns),
    )
    get_due_cards = providers.Singleton(
        GetDueCards, uow=unit_of_work.provider, clock=clock, zone=settings.provided.zone
    )
    review_question = providers.Singleton(
        ReviewQuestion,
        uow=unit_of_work.provider,
        clock=clock,
        reviewer=card_reviewer,
        grader=measured_llm,
        pass_score=settings.provided.subjective_pass_score,
        projector=project_learning_events,
    )
    get_review_forecast = providers.Singleton(
        GetForecast, uow=unit_of_work.provider, clock=clock, zone=settings.provided.zone
    )
    review_settings = providers.Singleton(ReviewSettingsUseCase, uow=unit_of_work.provider)
    get_review_stats = providers.Singleton(
        GetReviewStats, uow=unit_of_work.provider, clock=clock, zone=settings.provided.zone
    )
    list_wrong_answers = providers.Singleton(ListWrongAnswers, reads=providers.Singleton(SqlWrongAnswerReads, engine))
    open_question_set = providers.Singleton(OpenQuestionSet, uow=unit_of_work.provider, reads=question_set_reads)
    list_folders = providers.Singleton(ListFolders, uow=unit_of_work.provider)
    create_folder = providers.Singleton(CreateFolder, uow=unit_of_work.provider)
    get_folder = providers.Singleton(GetFolder, uow=unit_of_work.provider)
    update_folder = providers.Singleton(UpdateFolder, uow=unit_of_work.provider)
    delete_folder = providers.Singleton(DeleteFolder, uow=unit_of_work.provider)
    folder_delete_warning = providers.Singleton(FolderDeleteWarning, uow=unit_of_work.provider)
    stats_reads = providers.Singleton(SqlStatsReads, engine)
    get_learning_stats = providers.Singleton(
        GetLearningStats, reads=stats_reads, clock=clock, zone=settings.provided.zone
    )
    get_daily_stats = providers.Singleton(GetDailyStats, reads=stats_reads, clock=clock, zone=settings.provided.zone)
    get_learning_progress = providers.Singleton(GetLearningProgress, uow=unit_of_work.provider)
