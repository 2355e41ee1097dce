"""A JSON member as text, with its path written as a literal in the SQL.

SQLAlchemy's ``column["key"].as_string()`` sends the path as a bound parameter, and no
database matches a parameter against an index's expression: every search scanned every
event. Written as a literal (the keys are constants of this package, never user input), the
expression is the same text as the indexes of hub migration 0006, which then serve it:
``json_extract(payload, '$.order')`` on SQLite, ``(payload #>> '{order}')`` on PostgreSQL.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement

_KEY = re.compile(r"[a-z_]+")


class JsonText(ColumnElement[str]):
    """``column`` -> ``path`` as text (NULL when absent)."""

    type = String()
    inherit_cache = True

    def __init__(self, column: Any, *path: str) -> None:
        if not path or not all(_KEY.fullmatch(k) for k in path):
            raise ValueError(f"not a JSON path of plain keys: {path!r}")
        self.column = column
        self.path = path
        self._cache_key_extra = path

    def _gen_cache_key(self, anon_map: Any, bindparams: Any) -> Any:
        return (JsonText, self.path, self.column._gen_cache_key(anon_map, bindparams))


@compiles(JsonText, "sqlite")
def _sqlite(element: JsonText, compiler: Any, **kw: Any) -> str:
    column = compiler.process(element.column, **kw)
    return f"json_extract({column}, '$.{'.'.join(element.path)}')"


@compiles(JsonText, "postgresql")
def _postgresql(element: JsonText, compiler: Any, **kw: Any) -> str:
    column = compiler.process(element.column, **kw)
    return f"({column} #>> '{{{','.join(element.path)}}}')"


def printable(value: str) -> bool:
    """False if ``value`` holds a control character (PostgreSQL refuses a NUL in JSON text)."""
    return not any(ord(c) < 32 and c not in "\t\r\n" for c in value)
