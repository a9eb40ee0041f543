"""In-memory fakes of every port, for tests and for library users who want no I/O.

from pullit_adapters.memory import InMemoryDatabase, ManualClock
uow = InMemoryDatabase().unit_of_work
"""

from pullit_adapters.memory.clock import ManualClock
from pullit_adapters.memory.file_store import InMemoryFileStore
from pullit_adapters.memory.identity import StaticIdentityProvider
from pullit_adapters.memory.llm import CannedLLM
from pullit_adapters.memory.notifier import InMemoryNotifier
from pullit_adapters.memory.page_text import StaticPageText
from pullit_adapters.memory.unit_of_work import InMemoryDatabase, InMemoryUnitOfWork

__all__ = [
    "CannedLLM",
    "InMemoryDatabase",
    "InMemoryFileStore",
    "InMemoryNotifier",
    "InMemoryUnitOfWork",
    "ManualClock",
    "StaticIdentityProvider",
    "StaticPageText",
]
