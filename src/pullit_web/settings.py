"""Typed settings, read once from ``PULLIT_*`` environment variables and an optional ``.env``.

Bad values stop the service at start with one clear line (``SettingsError``), never later.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec
from dotenv import dotenv_values
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from pullit_adapters.i18n import LANGUAGES as CATALOG_LANGUAGES
from pullit_adapters.sql.engine import SUPPORTED_DRIVERS
from pullit_domain.use_cases.generation import GenerationSettings
from pullit_domain.use_cases.question_sets import GenerationPolicy

PREFIX = "PULLIT_"
# Never printed: ``repr(settings)`` shows these as <hidden>.
SECRET_FIELDS = frozenset(
    {"secret_key", "database_url", "kakao_client_secret", "s3_secret_access_key", "gemini_api_key", "redis_url"}
)


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable."""


# Constraints are declared on the fields and checked by msgspec while reading; only rules that
# join several settings (pairs, loopback-only features, a shared database's secret) are code.
Port = Annotated[int, msgspec.Meta(ge=1, le=65535, description="a TCP port")]
OptionalPort = Annotated[int, msgspec.Meta(ge=0, le=65535, description="a TCP port, or 0 for none")]
AtLeastOne = Annotated[int, msgspec.Meta(ge=1)]
Unlimited = Annotated[int, msgspec.Meta(ge=0, description="0 means unlimited")]
Seconds = Annotated[float, msgspec.Meta(gt=0)]
HttpUrl = Annotated[str, msgspec.Meta(pattern=r"^https?://[^/\s]+")]
LanguageTag = Annotated[str, msgspec.Meta(pattern=r"^([A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*)?$")]
EventLoop = Literal["uvloop", "asyncio"]


class Settings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Every knob of the service. Field ``x`` is read from ``PULLIT_X``."""

    data_dir: Path = Path(".pullit")
    database_url: str = ""
    auto_migrate: bool | None = None
    host: str = "127.0.0.1"
    port: Port = 8000
    workers: AtLeastOne = 1
    # uvloop, accepting every waiting connection at once (pullit_web.bootstrap.server_loop); or
    # Python's own loop, which accepts so too but fans SSE events out far slower.
    event_loop: EventLoop = "uvloop"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["json", "text"] = "json"
    secret_key: str = ""
    time_zone: str = "Asia/Seoul"
    # Learner-facing text when neither the request nor the member names a language (README "Languages").
    default_language: str = "ko"
    frontend_url: str = "http://localhost:5173"
    cors_origins: tuple[str, ...] = ("http://localhost:5173",)
    # Connections per process (docs/deploy.md "Connection budget"): the pool, the burst above it
    # (default: as many again), and how long a request waits for one before it is a 503.
    db_pool_size: AtLeastOne = 10
    db_max_overflow: Annotated[int, msgspec.Meta(ge=0)] | None = None
    db_pool_timeout_seconds: Seconds = 30.0
    sql_echo: bool = False
    jwt_issuer: str = "pullit"
    jwt_audience: str = "pullit-web"
    access_token_minutes: AtLeastOne = 30
    # Study material: the embedded store under data_dir, or S3 / an S3-compatible store.
    storage: Literal["local", "s3"] = "local"
    s3_bucket: str = ""
    s3_region: str = ""
    s3_endpoint_url: str = ""
    s3_access_key_id: str = ""
    s3_secret_access_key: str = ""
    # S3 takes at most 5 GiB in a single PUT.
    max_upload_mb: Annotated[int, msgspec.Meta(ge=1, le=5 * 1024)] = 50
    # Sign-in: Kakao when a client is configured, else (on loopback) the local sign-in page.
    kakao_client_id: str = ""
    kakao_client_secret: str = ""
    kakao_authorize_url: str = "https://kauth.kakao.com/oauth/authorize"
    kakao_token_url: str = "https://kauth.kakao.com/oauth/token"
    kakao_userinfo_url: str = "https://kapi.kakao.com/v2/user/me"
    kakao_timeout_seconds: Seconds = 5.0
    local_login: bool | None = None
    login_redirect_origins: tuple[str, ...] = ()
    public_url: str = ""
    refresh_token_days: AtLeastOne = 7
    refresh_cookie_path: Annotated[str, msgspec.Meta(pattern="^/")] = "/auth"
    cookie_domain: str = ""
    # Question generation: Gemini when a key is set, else the offline generator (README "Question generation").
    gemini_api_key: str = ""
    gemini_model: str = "gemini-3.8-flash"
    gemini_base_url: HttpUrl = "https://generativelanguage.googleapis.com"
    gemini_timeout_seconds: Seconds = 120.0
    gemini_inline_limit_mb: Annotated[float, msgspec.Meta(gt=0)] = 14.0
    # Empty: each member's own language (README "Languages").
    question_language: LanguageTag = ""
    # Gemini reads at most 1000 pages.
    max_pdf_pages: Annotated[int, msgspec.Meta(ge=1, le=1000)] = 100
    # Solving: a model's score (0..1) of a written SUBJECTIVE answer at or above this is correct.
    subjective_pass_score: Annotated[float, msgspec.Meta(gt=0, le=1)] = 0.6
    # Notifications (README "Live notifications"): empty Redis URL = fan-out inside one process.
    redis_url: str = ""
    redis_channel: str = "pullit:notifications"
    sse_heartbeat_seconds: Seconds = 15.0
    outbox_poll_seconds: Seconds = 2.0
    run_outbox_relay: bool = True
    # Question-set generation jobs (README "Question sets and the worker").
    run_worker: bool = True
    worker_concurrency: AtLeastOne = 4
    worker_poll_seconds: Seconds = 2.0
    # /metrics of a `pullit worker` process on this port (0 = none); web processes serve theirs over HTTP.
    worker_metrics_port: OptionalPort = 0
    generation_max_attempts: AtLeastOne = 3
    generation_retry_base_seconds: Seconds = 10.0
    # A running job renews its lease a third of the way through, so a dead worker's jobs wait one lease.
    generation_lease_seconds: Annotated[float, msgspec.Meta(ge=1)] = 30.0
    pending_sets_per_member: AtLeastOne = 5
    pending_timeout_minutes: AtLeastOne = 60
    # Limits (README "Limits"): JSON/form bodies, and per-minute budgets (0 = unlimited).
    max_request_body_kb: Annotated[int, msgspec.Meta(ge=1, le=100 * 1024)] = 4096
    rate_limit_sign_in_per_minute: Unlimited = 60
    rate_limit_upload_permits_per_minute: Unlimited = 30
    rate_limit_question_sets_per_minute: Unlimited = 10
    rate_limit_key_prefix: str = "pullit:rate-limit"

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{name}={'<hidden>' if name in SECRET_FIELDS and getattr(self, name) else repr(getattr(self, name))}"
            for name in self.__struct_fields__
        )
        return f"Settings({shown})"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def migrates_on_start(self) -> bool:
        return self.is_sqlite if self.auto_migrate is None else self.auto_migrate

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def generation_policy(self) -> GenerationPolicy:
        return GenerationPolicy(
            max_pending_per_member=self.pending_sets_per_member,
            max_attempts=self.generation_max_attempts,
            retry_base=timedelta(seconds=self.generation_retry_base_seconds),
            lease=timedelta(seconds=self.generation_lease_seconds),
            stale_after=timedelta(minutes=self.pending_timeout_minutes),
        )

    @property
    def generation_settings(self) -> GenerationSettings:
        return GenerationSettings(
            language=self.question_language or None,
            max_pages=self.max_pdf_pages,
            share_download_urls=self.storage == "s3",
        )

    @property
    def access_token_lifetime(self) -> timedelta:
        return timedelta(minutes=self.access_token_minutes)

    @property
    def refresh_token_lifetime(self) -> timedelta:
        return timedelta(days=self.refresh_token_days)

    @property
    def local_login_enabled(self) -> bool:
        """On when asked for, or by default when Kakao is not configured and only this machine can connect."""
        if self.local_login is None:
            return not self.kakao_client_id and self.binds_loopback
        return self.local_login

    @property
    def redirect_origins(self) -> frozenset[str]:
        """Origins the browser may be sent back to after sign-in: nowhere else (no open redirect)."""
        configured = self.login_redirect_origins or (self.frontend_url, *self.cors_origins)
        return frozenset(origin_of(url) for url in configured)

    @property
    def max_request_body_bytes(self) -> int:
        return self.max_request_body_kb * 1024

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024

    @property
    def files_base_url(self) -> str:
        """Where clients reach this service's own file URLs (the embedded store)."""
        if self.public_url:
            return self.public_url.rstrip("/")
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::", "localhost") else self.host
        return f"http://{host}:{self.port}"

    @property
    def binds_loopback(self) -> bool:
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False


_COLLECTIONS = {
    name
    for name, field in zip(Settings.__struct_fields__, msgspec.structs.fields(Settings), strict=True)
    if "tuple" in str(field.type)
}


def load_settings(environ: Mapping[str, str] | None = None, env_file: Path | None = None) -> Settings:
    """Read, validate and complete the settings.

    Environment variables win over ``.env`` (``PULLIT_ENV_FILE`` names another file).
    With no ``PULLIT_DATABASE_URL`` the service uses a SQLite file in the data directory,
    and with no ``PULLIT_SECRET_KEY`` it keeps a generated one there (single machine only).
    """
    environ = os.environ if environ is None else environ
    env_file = env_file or Path(environ.get(f"{PREFIX}ENV_FILE", ".env"))
    raw: dict[str, Any] = {}
    if env_file.is_file():
        raw.update({k: v for k, v in dotenv_values(env_file).items() if k.startswith(PREFIX) and v is not None})
    raw.update({k: v for k, v in environ.items() if k.startswith(PREFIX)})
    raw.pop(f"{PREFIX}ENV_FILE", None)
    values = {key[len(PREFIX) :].lower(): _split(key[len(PREFIX) :].lower(), value) for key, value in raw.items()}
    try:
        settings = msgspec.convert(values, Settings, strict=False, dec_hook=_decode)
    except msgspec.ValidationError as error:
        raise SettingsError(_explain(str(error))) from None
    return _complete(settings, environ)


def _decode(kind: type, value: Any) -> Any:
    if kind is Path and isinstance(value, str):
        return Path(value)
    raise NotImplementedError(f"no decoder for {kind}")


def _split(name: str, value: str) -> Any:
    if name in _COLLECTIONS:
        return tuple(part.strip() for part in value.split(",") if part.strip())
    return value


def _explain(message: str) -> str:
    # msgspec says "... - at `$.port`"; people set PULLIT_PORT.
    if "Object contains unknown field" in message:
        field = message.split("`")[1]
        return f"unknown setting {PREFIX}{field.upper()}"
    if " - at `$." in message:
        text, _, path = message.partition(" - at `$.")
        return f"{PREFIX}{path.rstrip('`').split('[')[0].upper()}: {text}"
    return message


def _complete(settings: Settings, environ: Mapping[str, str]) -> Settings:
    database_url = settings.database_url or f"sqlite+aiosqlite:///{(settings.data_dir / 'pullit.db').resolve()}"
    _check_database_url(database_url)
    try:
        ZoneInfo(settings.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(f"{PREFIX}TIME_ZONE: unknown time zone {settings.time_zone!r}") from None
    if settings.redis_url and not settings.redis_url.startswith(("redis://", "rediss://", "unix://")):
        raise SettingsError(f"{PREFIX}REDIS_URL: not a redis://, rediss:// or unix:// URL")
    if settings.workers > 1 and not settings.redis_url:
        # Each process fans out only to its own SSE clients; Redis is what joins them.
        raise SettingsError(f"{PREFIX}WORKERS > 1 needs {PREFIX}REDIS_URL for live notifications")
    secret_key = settings.secret_key
    if not secret_key:
        if not database_url.startswith("sqlite"):
            raise SettingsError(f"{PREFIX}SECRET_KEY is required when the database is shared (not SQLite)")
        secret_key = _local_secret(settings.data_dir)
    elif len(secret_key) < 32:
        raise SettingsError(f"{PREFIX}SECRET_KEY must be at least 32 characters")
    _check_sign_in(settings)
    _check_storage(settings)
    _check_languages(settings)
    return msgspec.structs.replace(settings, database_url=database_url, secret_key=secret_key)


def _check_languages(settings: Settings) -> None:
    if settings.default_language not in CATALOG_LANGUAGES:
        raise SettingsError(f"{PREFIX}DEFAULT_LANGUAGE must be one of {', '.join(CATALOG_LANGUAGES)}")


def _check_storage(settings: Settings) -> None:
    if settings.storage == "s3" and not settings.s3_bucket:
        raise SettingsError(f"{PREFIX}S3_BUCKET is required when {PREFIX}STORAGE=s3")
    if bool(settings.s3_access_key_id) != bool(settings.s3_secret_access_key):
        raise SettingsError(f"{PREFIX}S3_ACCESS_KEY_ID and {PREFIX}S3_SECRET_ACCESS_KEY go together")


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` in lower case, the unit browsers compare."""
    parts = urlsplit(url.strip())
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _check_sign_in(settings: Settings) -> None:
    if settings.local_login and not settings.binds_loopback:
        raise SettingsError(
            f"{PREFIX}LOCAL_LOGIN lets anyone sign in as anyone: it only runs on a loopback address, "
            f"not {PREFIX}HOST={settings.host}; configure Kakao ({PREFIX}KAKAO_CLIENT_ID) instead"
        )
    if bool(settings.kakao_client_id) != bool(settings.kakao_client_secret):
        raise SettingsError(f"{PREFIX}KAKAO_CLIENT_ID and {PREFIX}KAKAO_CLIENT_SECRET must be set together")
    for url in (*settings.login_redirect_origins, settings.public_url):
        parts = urlsplit(url)
        if url and (parts.scheme not in ("http", "https") or not parts.netloc):
            raise SettingsError(f"{PREFIX}LOGIN_REDIRECT_ORIGINS / {PREFIX}PUBLIC_URL: {url!r} is not an http(s) URL")


def _check_database_url(url: str) -> None:
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise SettingsError(
            f"{PREFIX}DATABASE_URL: not a database URL (e.g. mysql+asyncmy://user:pass@host:3306/pullit)"
        ) from None
    if parsed.drivername not in SUPPORTED_DRIVERS:
        raise SettingsError(
            f"{PREFIX}DATABASE_URL: unsupported driver {parsed.drivername!r}; use one of {', '.join(SUPPORTED_DRIVERS)}"
        )
    if not parsed.database:
        raise SettingsError(f"{PREFIX}DATABASE_URL: names no database")


def _local_secret(data_dir: Path) -> str:
    """A random key kept in the data directory, so restarts keep sessions valid."""
    path = data_dir / "secret.key"
    if path.is_file():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as file:
        file.write(key)
    return key
