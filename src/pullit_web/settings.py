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
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec
from dotenv import dotenv_values
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from pullit_adapters.sql.engine import SUPPORTED_DRIVERS

PREFIX = "PULLIT_"
# Never printed: ``repr(settings)`` shows these as <hidden>.
SECRET_FIELDS = frozenset({"secret_key", "database_url"})


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable."""


class Settings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Every knob of the service. Field ``x`` is read from ``PULLIT_X``."""

    data_dir: Path = Path(".pullit")
    database_url: str = ""
    auto_migrate: bool | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["json", "text"] = "json"
    secret_key: str = ""
    time_zone: str = "Asia/Seoul"
    frontend_url: str = "http://localhost:5173"
    cors_origins: tuple[str, ...] = ("http://localhost:5173",)
    db_pool_size: int = 10
    sql_echo: bool = False
    jwt_issuer: str = "pullit"
    jwt_audience: str = "pullit-web"
    access_token_minutes: int = 30

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
    def access_token_lifetime(self) -> timedelta:
        return timedelta(minutes=self.access_token_minutes)

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
        settings = msgspec.convert(values, Settings, strict=False)
    except msgspec.ValidationError as error:
        raise SettingsError(_explain(str(error))) from None
    return _complete(settings, environ)


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
    if not 0 < settings.port < 65536:
        raise SettingsError(f"{PREFIX}PORT: {settings.port} is not a TCP port")
    if settings.workers < 1 or settings.db_pool_size < 1:
        raise SettingsError(f"{PREFIX}WORKERS and {PREFIX}DB_POOL_SIZE must be at least 1")
    secret_key = settings.secret_key
    if not secret_key:
        if not database_url.startswith("sqlite"):
            raise SettingsError(f"{PREFIX}SECRET_KEY is required when the database is shared (not SQLite)")
        secret_key = _local_secret(settings.data_dir)
    elif len(secret_key) < 32:
        raise SettingsError(f"{PREFIX}SECRET_KEY must be at least 32 characters")
    return msgspec.structs.replace(settings, database_url=database_url, secret_key=secret_key)


def _check_database_url(url: str) -> None:
    try:
        parsed = make_url(url)
    except ArgumentError:
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
