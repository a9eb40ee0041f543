"""The dependency-injector container: picks adapters from settings and owns their lifetimes.

Everything is built synchronously; adapters that hold connections are closed by the
``*_lifetime`` resources when the app shuts down.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from dependency_injector import containers, providers
from sqlalchemy.ext.asyncio import AsyncEngine

from pullit_adapters.clock import SystemClock
from pullit_adapters.notifier_local import InProcessNotifier
from pullit_adapters.sql.engine import create_engine, session_factory
from pullit_adapters.sql.unit_of_work import SqlUnitOfWork
from pullit_adapters.tokens import JwtAccessTokens
from pullit_domain.use_cases.members import GetMember, SignUpMember
from pullit_web.health import Readiness
from pullit_web.settings import Settings


async def _disposed_on_shutdown(engine: AsyncEngine) -> AsyncIterator[AsyncEngine]:
    yield engine
    await engine.dispose()


class Container(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)

    clock = providers.Singleton(SystemClock)

    engine = providers.Singleton(
        create_engine,
        settings.provided.database_url,
        echo=settings.provided.sql_echo,
        pool_size=settings.provided.db_pool_size,
    )
    engine_lifetime = providers.Resource(_disposed_on_shutdown, engine)
    sessions = providers.Singleton(session_factory, engine)
    unit_of_work = providers.Factory(SqlUnitOfWork, sessions)

    notifier = providers.Singleton(InProcessNotifier)

    access_tokens = providers.Singleton(
        JwtAccessTokens,
        secret=settings.provided.secret_key,
        clock=clock,
        issuer=settings.provided.jwt_issuer,
        audience=settings.provided.jwt_audience,
        lifetime=settings.provided.access_token_lifetime,
    )

    readiness = providers.Singleton(Readiness, engine=engine)

    sign_up_member = providers.Factory(SignUpMember, uow=unit_of_work.provider, clock=clock)
    get_member = providers.Factory(GetMember, uow=unit_of_work.provider)
