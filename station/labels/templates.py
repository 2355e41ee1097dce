"""Label templates: TOML files in ``resources/labels/`` filled from a context into a Label.

A template gives the label size in mm and a list of ``[[elements]]``; each has a ``type``
(text, block, code128, gs1-128, gs1-datamatrix, box, repeat) and the fields of the model's
element. Strings take ``{placeholders}``: dotted paths into the context, with an optional
format spec (``{package.weight_g:.0f}``); ``{{`` and ``}}`` are braces. ``when`` / ``unless``
name a context value that must be truthy / falsy for the element to be drawn. A ``repeat``
draws its own ``[[elements.elements]]`` once per item of a context list (``item`` in the
placeholders), ``step`` mm apart, at most ``max`` rows; ``more`` is the text of the last
row when items were left off (``{more}`` is how many).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from station.labels.errors import LabelError
from station.labels.model import (
    ALIGNS,
    Box,
    Code128,
    Element,
    Gs1Code128,
    Gs1DataMatrix,
    Label,
    Text,
    TextBlock,
)
from station.resource_files import resource_dir

TEMPLATE_DIR = resource_dir("labels")
Context = Mapping[str, object]

_TYPES: dict[str, type[Element]] = {
    "text": Text,
    "block": TextBlock,
    "code128": Code128,
    "gs1-128": Gs1Code128,
    "gs1-datamatrix": Gs1DataMatrix,
    "box": Box,
}
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_.]*)(?::([^{}]*))?\}")
_STRINGS = {"text", "data"}  # element fields that take placeholders
_CONTROL = {"type", "when", "unless"}


def lookup(context: Context, path: str) -> object:
    """The value at a dotted ``path`` of nested mappings; KeyError if absent."""
    value: object = context
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            raise KeyError(path)
        value = value[part]
    return value


def fill(text: str, context: Context) -> str:
    """``text`` with its placeholders replaced by context values (None as empty)."""

    def one(match: re.Match[str]) -> str:
        if match.group(0) in ("{{", "}}"):
            return match.group(0)[0]
        value = lookup(context, match.group(1))
        if value is None:
            return ""
        return format(value, match.group(2) or "")

    try:
        return _PLACEHOLDER.sub(one, text)
    except KeyError as exc:
        raise LabelError(f"template needs {{{exc.args[0]}}}, which the data lacks") from None
    except (TypeError, ValueError) as exc:
        raise LabelError(f"template placeholder in {text!r}: {exc}") from None


def _applies(spec: Mapping[str, Any], context: Context) -> bool:
    try:
        if "when" in spec and not lookup(context, spec["when"]):
            return False
        return not ("unless" in spec and lookup(context, spec["unless"]))
    except KeyError as exc:
        raise LabelError(f"template condition on unknown value {exc.args[0]!r}") from None


def _element(spec: Mapping[str, Any], context: Context, dx: float, dy: float) -> Element | None:
    """One model element from its spec, or None when it is conditional or ends up empty."""
    kind = spec.get("type")
    cls = _TYPES.get(str(kind))
    if cls is None:
        raise LabelError(f"unknown label element type {kind!r}")
    names = {f.name for f in fields(cls)}
    unknown = set(spec) - names - _CONTROL
    if unknown:
        raise LabelError(f"{kind} element has unknown fields: {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {k: v for k, v in spec.items() if k in names}
    for key in _STRINGS & names & set(values):
        values[key] = fill(str(values[key]), context)
    if "lines" in values:
        # A value may hold line breaks (a gift message); empty lines (no street2) go.
        filled = (fill(str(line), context).splitlines() for line in values["lines"])
        values["lines"] = tuple(part for parts in filled for part in parts if part.strip())
    if "elements" in values:  # GS1 pairs; an element whose value is empty is left out
        pairs = ((str(ai), fill(str(value), context)) for ai, value in values["elements"])
        values["elements"] = tuple((ai, value) for ai, value in pairs if value)
    if values.get("align", "left") not in ALIGNS:
        raise LabelError(f"unknown alignment {values['align']!r}")
    values["x"] = float(values.get("x", 0)) + dx
    values["y"] = float(values.get("y", 0)) + dy
    if not (values.get("text", "x") and values.get("data", "x") and values.get("lines", "x")):
        return None
    if "elements" in values and not values["elements"]:
        return None
    try:
        return cls(**values)
    except TypeError as exc:
        raise LabelError(f"{kind} element: {exc}") from None


def _repeat(spec: Mapping[str, Any], context: Context) -> list[Element]:
    items = lookup(context, str(spec["over"]))
    if not isinstance(items, Sequence) or isinstance(items, str):
        raise LabelError(f"repeat over {spec['over']!r}: not a list")
    x, y, step = float(spec.get("x", 0)), float(spec.get("y", 0)), float(spec["step"])
    limit = int(spec.get("max", len(items)))
    shown = items if len(items) <= limit else items[: limit - 1]
    out: list[Element] = []
    for i, item in enumerate(shown):
        row = {**context, "item": item, "index": i + 1}
        out.extend(_elements(spec.get("elements", []), row, x, y + i * step))
    if len(shown) < len(items) and "more" in spec:
        more = {**context, "more": len(items) - len(shown)}
        out.extend(_elements([spec["more"]], more, x, y + len(shown) * step))
    return out


def _elements(
    specs: Sequence[Mapping[str, Any]], context: Context, dx: float = 0.0, dy: float = 0.0
) -> list[Element]:
    out: list[Element] = []
    for spec in specs:
        if not _applies(spec, context):
            continue
        if spec.get("type") == "repeat":
            out.extend(_repeat(spec, context))
        elif (element := _element(spec, context, dx, dy)) is not None:
            out.append(element)
    return out


@dataclass(frozen=True)
class Template:
    """A loaded template: its name, size and raw element specs, filled by ``fill``."""

    name: str
    width: float
    height: float
    specs: tuple[Mapping[str, Any], ...]

    def fill(self, context: Context) -> Label:
        """The label this template makes of ``context``."""
        return Label(self.name, self.width, self.height, tuple(_elements(self.specs, context)))


def load_template(name: str, folder: Path = TEMPLATE_DIR) -> Template:
    """Read ``folder/<name>.toml``."""
    path = folder / f"{name}.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LabelError(f"no label template {name!r} in {folder}") from None
    except tomllib.TOMLDecodeError as exc:
        raise LabelError(f"label template {path} is not valid TOML: {exc}") from None
    try:
        return Template(
            name=str(data.get("name", name)),
            width=float(data["width"]),
            height=float(data["height"]),
            specs=tuple(data.get("elements", ())),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise LabelError(f"label template {path}: needs width and height in mm ({exc})") from None
