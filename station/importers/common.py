"""What the catalog and orders importers share: problems, the report, readers, field parsers.

Field parsers take a raw value (a ``str`` from CSV, anything from JSON) and return the typed
value, or raise :class:`FieldError` with the reason; the caller knows the row and column and turns
the reason into a problem line ``row N: column: reason``.
"""

from __future__ import annotations

import csv
import gc
import io
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Insert, Table, Update, bindparam, insert, update
from sqlalchemy.orm import Session

from station.gtin import is_valid_gtin, looks_like_gtin

_T = TypeVar("_T")

# SQLite accepts up to 32766 bound variables per statement (3.32+); stay well below.
CHUNK = 5000

_COUNTRY = re.compile(r"[A-Z]{2}")
_CURRENCY = re.compile(r"[A-Z]{3}")
_HS_CODE = re.compile(r"[0-9]{6,10}")
_DECIMAL = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")
_WHOLE = re.compile(r"[+-]?[0-9]+")
_INT64_MAX = 2**63 - 1
_INT64_DIGITS = len(str(_INT64_MAX))


class ImportFailed(Exception):  # noqa: N818 - the name callers know
    """A file was refused; ``problems`` lists every reason, ``row N: column: reason``."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problem(s): " + "; ".join(problems[:3]))
        self.problems = problems


@dataclass(frozen=True)
class ImportReport:
    """What an import wrote: rows read, records created and updated, and how long it took."""

    kind: str  # "catalog" or "orders"
    file: str
    rows: int
    created: int
    updated: int
    seconds: float
    # Secondary counts, e.g. barcodes and kits, or order lines and customs lines.
    details: Mapping[str, int] = field(default_factory=dict)

    @property
    def rows_per_second(self) -> float:
        """Import throughput (rows of the file per second of wall time)."""
        return self.rows / self.seconds if self.seconds > 0 else float("inf")

    def __str__(self) -> str:
        noun = "products" if self.kind == "catalog" else "orders"
        extra = "".join(f", {v} {k.replace('_', ' ')}" for k, v in self.details.items())
        return (
            f"imported {self.rows} rows from {self.file}: {self.created} {noun} created, "
            f"{self.updated} updated{extra} in {self.seconds:.2f} s "
            f"({self.rows_per_second:,.0f} rows/s)"
        )


class FieldError(Exception):
    """A field's value is unacceptable; the message is the reason shown to the user."""


class Problems:
    """Problem lines collected while validating, sorted by row when reported."""

    def __init__(self) -> None:
        self._items: list[tuple[int, int, str]] = []

    def __bool__(self) -> bool:
        return bool(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def header(self, reason: str) -> None:
        """A problem with the CSV header (a missing or unknown column)."""
        self._items.append((0, len(self._items), f"header: {reason}"))

    def add(self, row: int, column: str, reason: str) -> None:
        """A problem with one value: ``row N: column: reason``."""
        self._items.append((row, len(self._items), f"row {row}: {column}: {reason}"))

    def row(self, row: int, reason: str) -> None:
        """A problem with a row as a whole (wrong number of values, not an object)."""
        self._items.append((row, len(self._items), f"row {row}: {reason}"))

    def lines(self) -> list[str]:
        """The problems in file order: header first, then by row, each row's in the order found."""
        return [text for _, _, text in sorted(self._items)]

    def raise_if_any(self) -> None:
        """Raise :class:`ImportFailed` if anything was collected."""
        if self._items:
            raise ImportFailed(self.lines())


@contextmanager
def paused_gc() -> Iterator[None]:
    """Suspend the cyclic garbage collector for a bulk import.

    An import allocates millions of small lists, tuples and dicts that all stay alive; each
    allocation burst triggers a collection that walks everything allocated so far, which
    doubled the time of a 250,000-row file. The rows form no reference cycles, so nothing is
    lost by letting the collector resume only afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# ---- reading files -------------------------------------------------------------------------


def file_format(path: Path) -> str:
    """``csv`` or ``json`` from the file's extension; ImportFailed for anything else."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".json"):
        return suffix[1:]
    raise ImportFailed([f"file: unknown format {suffix or '(no extension)'!r}; use .csv or .json"])


def read_text(path: Path) -> str:
    """The file's text (UTF-8, a byte-order mark tolerated, as spreadsheets write one)."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ImportFailed([f"file: {path} does not exist"]) from None
    except UnicodeDecodeError as exc:
        raise ImportFailed([f"file: not UTF-8 text (byte {exc.start})"]) from None
    except OSError as exc:
        raise ImportFailed([f"file: cannot read {path}: {exc.strerror or exc}"]) from None


@dataclass
class CsvTable:
    """A CSV file split into its header (normalised names) and data rows."""

    columns: list[str]
    rows: list[list[str]]

    def index(self, names: Iterable[str]) -> list[int]:
        """Positions of ``names`` in a row; an absent column points at the padding cell."""
        where = {name: i for i, name in enumerate(self.columns)}
        pad = len(self.columns)
        return [where.get(name, pad) for name in names]


def read_csv(
    text: str, required: Sequence[str], optional: Sequence[str], problems: Problems
) -> CsvTable:
    """Parse CSV text, check its header, and pad every data row to ``len(columns) + 1``.

    The extra cell is always ``""``: an optional column missing from the file reads as empty
    there, so the per-row code needs no branch for it. A row with more values than the header
    is a problem; a shorter row is padded (its missing values then read as empty).
    """
    try:
        # newline="" keeps quoted line breaks (a multi-line gift note) inside their field.
        raw = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise ImportFailed([f"file: not valid CSV: {exc}"]) from None
    # Blank lines (and the ",,,," a spreadsheet writes for an empty row) carry no data; they
    # are neither rows nor counted. any() over the cells runs in C, which matters at 250k rows.
    raw = [r for r in raw if any(r)]
    if not raw:
        raise ImportFailed(["file: empty (no header)"])
    columns = [c.strip().lower() for c in raw[0]]
    known = set(required) | set(optional)
    seen: set[str] = set()
    for name in columns:
        if name in seen:
            problems.header(f"column {name!r} appears twice")
        seen.add(name)
        if name not in known:
            problems.header(f"unknown column {name!r}")
    for name in required:
        if name not in seen:
            problems.header(f"column {name!r} is missing")
    width = len(columns)
    rows = raw[1:]
    for n, row in enumerate(rows, start=1):
        if len(row) > width:
            problems.row(n, f"has {len(row)} values, the header has {width} columns")
            del row[width:]
        elif len(row) < width:
            row.extend([""] * (width - len(row)))
        row.append("")
    return CsvTable(columns, rows)


def read_json_array(text: str) -> list[Any]:
    """The top-level JSON array of ``text``; ImportFailed if it is not JSON or not an array."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFailed(
            [f"file: not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"]
        ) from None
    except RecursionError:
        raise ImportFailed(["file: not valid JSON: nested too deeply"]) from None
    except ValueError as exc:  # an integer of more than 4300 digits (sys.int_info)
        raise ImportFailed([f"file: not valid JSON: {exc}"]) from None
    if not isinstance(data, list):
        raise ImportFailed(["file: expected a JSON array of objects"])
    return data


def check_keys(
    obj: Mapping[str, Any], row: int, known: Iterable[str], problems: Problems, prefix: str = ""
) -> None:
    """Report keys of a JSON object that the format does not know (typos lose data)."""
    allowed = set(known)
    for key in obj:
        if key not in allowed:
            problems.add(row, f"{prefix}{key}", "unknown field")


def chunks(items: Sequence[_T], size: int = CHUNK) -> Iterator[Sequence[_T]]:
    """``items`` in slices of at most ``size`` (for IN lists under SQLite's variable limit)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def insert_rows(
    session: Session, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """INSERT ``rows`` (tuples in ``columns`` order) into ``table`` with one executemany.

    The statement is a Core ``insert()`` compiled for the session's dialect, run through the
    DBAPI cursor's ``executemany``. SQLAlchemy's own executemany builds and processes a dict
    per row, which at 100,000 orders cost more than SQLite's work; here only the columns
    whose type converts values (DateTime, Enum, Boolean, Float, Numeric) go through their
    bind processor, remembered per distinct value since a column's values repeat (one
    timestamp, a few statuses).
    """
    statement = insert(table).values({c: bindparam(c) for c in columns})
    _executemany(session, statement, table, list(columns), rows)


def update_rows(
    session: Session, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """UPDATE ``columns`` of the rows with these ids; each row is ``(id, *values)``.

    One executemany, the same way as :func:`insert_rows`.
    """
    statement = (
        update(table)
        .where(table.c.id == bindparam("pk"))
        .values({c: bindparam(c) for c in columns})
    )
    _executemany(session, statement, table, ["pk", *columns], rows, {"pk": "id"})


def _executemany(
    session: Session,
    statement: Insert | Update,
    table: Table,
    names: list[str],
    rows: Sequence[Sequence[Any]],
    aliases: Mapping[str, str] | None = None,
) -> None:
    if not rows:
        return
    dialect = session.get_bind().dialect
    compiled = statement.compile(dialect=dialect)
    # Core renders the parameters in its own order (table order for the columns); reorder
    # the rows to match, in C with itemgetter.
    order = list(compiled.positiontup or ())
    if sorted(order) != sorted(names):  # pragma: no cover - a dialect that renders otherwise
        raise RuntimeError(f"unexpected parameters {order} for {names}")
    params: Sequence[Sequence[Any]] = rows
    if order != names:
        if len(names) == 1:
            params = [(row[0],) for row in rows]
        else:
            params = list(map(itemgetter(*(names.index(name) for name in order)), rows))
    converters: list[tuple[int, Callable[[Any], Any], dict[Any, Any]]] = []
    for i, name in enumerate(order):
        column = table.c[(aliases or {}).get(name, name)]
        bind = column.type.dialect_impl(dialect).bind_processor(dialect)
        if bind is not None:
            converters.append((i, bind, {}))
    if converters:
        converted = []
        for row in params:
            values = list(row)
            for i, convert, memo in converters:
                value = values[i]
                try:
                    values[i] = memo[value]
                except KeyError:
                    values[i] = memo[value] = convert(value)
                except TypeError:  # unhashable (a JSON value): convert without memo
                    values[i] = convert(value)
            converted.append(tuple(values))
        params = converted
    session.connection().exec_driver_sql(str(compiled), params)


# ---- field parsers -------------------------------------------------------------------------


def text(value: object) -> str:
    """A raw value as stripped text; None (a JSON null or absent key) is empty."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        raise FieldError(f"expected text, got {str(value).lower()}")
    if isinstance(value, int | float):
        # JSON numbers for codes and names: 4006381333931 -> "4006381333931".
        return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    raise FieldError(f"expected text, got {type(value).__name__}")


def required_text(value: object, max_len: int) -> str:
    """Non-empty text of at most ``max_len`` characters."""
    s = text(value)
    if not s:
        raise FieldError("required")
    if len(s) > max_len:
        raise FieldError(f"longer than {max_len} characters")
    return s


def optional_text(value: object, max_len: int) -> str | None:
    """Text of at most ``max_len`` characters, or None when empty."""
    s = text(value)
    if len(s) > max_len:
        raise FieldError(f"longer than {max_len} characters")
    return s or None


def number(value: object) -> float | None:
    """A finite decimal number, or None when empty."""
    if isinstance(value, bool):
        raise FieldError(f"not a number ({str(value).lower()})")
    if isinstance(value, int | float):
        result = float(value)
    else:
        s = text(value)
        if not s:
            return None
        # float() would also take "1_000", "nan" and non-ASCII digits; a file should not.
        if not _DECIMAL.fullmatch(s):
            if _DECIMAL.fullmatch(s.replace(",", ".", 1)):
                raise FieldError(f"not a number ({s!r}); use a decimal point")
            raise FieldError(f"not a number ({s!r})")
        result = float(s)
    if not math.isfinite(result):
        raise FieldError(f"not a number ({value!r})")
    return result


def non_negative(value: object) -> float | None:
    """A number >= 0, or None when empty."""
    result = number(value)
    if result is not None and result < 0:
        raise FieldError(f"must not be negative ({value})")
    return result


def positive(value: object) -> float | None:
    """A number > 0, or None when empty."""
    result = number(value)
    if result is not None and result <= 0:
        raise FieldError(f"must be positive ({value})")
    return result


def whole(value: object) -> int | None:
    """A whole number, or None when empty ("2" and JSON 2 or 2.0; not "2.5" or "two")."""
    if isinstance(value, bool):
        raise FieldError(f"not a whole number ({str(value).lower()})")
    if isinstance(value, int):
        return _storable(value)
    if isinstance(value, float):
        if value.is_integer():
            return _storable(int(value))
        raise FieldError(f"not a whole number ({value})")
    s = text(value)
    if not s:
        return None
    # int() would also take "1_000" and non-ASCII digits; a file should not.
    if not _WHOLE.fullmatch(s):
        raise FieldError(f"not a whole number ({s!r})")
    if len(s.lstrip("+-").lstrip("0")) > _INT64_DIGITS:
        # Before int(): past 4300 digits it raises ValueError instead of answering.
        raise FieldError(f"too large ({s[:24]}{'...' if len(s) > 24 else ''})")
    return _storable(int(s))


def _storable(number: int) -> int:
    # SQLite stores 64-bit integers; a larger one failed the whole import with OverflowError.
    if abs(number) > _INT64_MAX:
        raise FieldError(f"too large ({str(number)[:24]}{'...' if len(str(number)) > 24 else ''})")
    return number


def quantity(value: object) -> int:
    """A required whole number > 0."""
    result = whole(value)
    if result is None:
        raise FieldError("required")
    if result <= 0:
        raise FieldError(f"must be positive ({result})")
    return result


def country(value: object) -> str | None:
    """An ISO 3166-1 alpha-2 country code (upper-cased), or None when empty."""
    s = text(value).upper()
    if s and not _COUNTRY.fullmatch(s):
        raise FieldError(f"not a two-letter country code ({s!r})")
    return s or None


def currency(value: object) -> str | None:
    """An ISO 4217 currency code (upper-cased), or None when empty."""
    s = text(value).upper()
    if s and not _CURRENCY.fullmatch(s):
        raise FieldError(f"not a three-letter currency code ({s!r})")
    return s or None


def hs_code(value: object) -> str | None:
    """A Harmonized System code of 6 to 10 digits (dots and spaces dropped), or None."""
    s = text(value)
    digits = s.replace(".", "").replace(" ", "")
    if s and not _HS_CODE.fullmatch(digits):
        raise FieldError(f"not an HS code of 6 to 10 digits ({s!r})")
    return digits or None


def barcode_problem(raw: str) -> str | None:
    """Why ``raw`` cannot be a product barcode, or None if it can.

    Any code of 8, 12, 13 or 14 digits is taken for a GTIN, so its check digit must be right:
    a mistyped GTIN would otherwise become an "internal code" no scanner ever produces.
    """
    if looks_like_gtin(raw) and not is_valid_gtin(raw):
        return f"GTIN check digit is wrong ({raw})"
    if len(raw) > 128:
        return f"longer than 128 characters ({raw[:20]}...)"
    if any(ch.isspace() for ch in raw):
        return f"contains white space ({raw!r})"
    return None
