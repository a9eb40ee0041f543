"""One in-memory table: rows by id and the next id, copied whole for each unit of work."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Table(Generic[T]):
    def __init__(self, rows: dict[int, T] | None = None, next_id: int = 1) -> None:
        self.rows: dict[int, T] = rows or {}
        self.next_id = next_id

    def insert(self, row: Any) -> None:
        row.id = self.next_id
        self.next_id += 1
        self.rows[row.id] = row

    def copy(self) -> Table[T]:
        return Table({k: _clone(v) for k, v in self.rows.items()}, self.next_id)


def _clone(row: Any) -> Any:
    """A fresh instance, so committed rows never alias working ones; datetimes come back
    in UTC as they do from the real databases."""
    utc = {
        f.name: value.astimezone(UTC)
        for f in dataclasses.fields(row)
        if isinstance(value := getattr(row, f.name), datetime) and value.tzinfo is not None
    }
    return dataclasses.replace(row, **utc)
