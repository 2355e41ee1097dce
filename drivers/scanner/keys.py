"""Key presses as the keyboard-wedge detector sees them, and what it decides about them.

Kept free of Qt: the Qt event filter in ``ui/wedge.py`` translates a ``QKeyEvent`` into a
:class:`KeyEvent`. Key names follow Qt's ``Qt.Key`` names without the ``Key_`` prefix
(``"Return"``, ``"Tab"``, ``"F8"``, ``"Shift"``); a key that produces a character may also
be given as that character (``"]"``) or as its code point (``0x5D``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

GS = "\x1d"
"""ASCII Group Separator, the GS1 FNC1 separator inside element strings."""


class Modifier(enum.StrEnum):
    """Keyboard modifiers held while a key was pressed."""

    SHIFT = "shift"
    CONTROL = "control"
    ALT = "alt"
    META = "meta"
    KEYPAD = "keypad"


# Presses of these keys alone produce no character; a scanner sends Shift around capitals
# and Alt around Alt codes, so they must neither end a burst nor count as characters.
MODIFIER_KEYS = frozenset(
    {
        "Shift",
        "Control",
        "Alt",
        "AltGr",
        "Meta",
        "Super_L",
        "Super_R",
        "Hyper_L",
        "Hyper_R",
        "CapsLock",
        "NumLock",
        "ScrollLock",
        "Mode_switch",
    }
)


@dataclass(frozen=True)
class KeyEvent:
    """One key press: the text the keyboard layout produced, the key, modifiers and time.

    ``t`` is in seconds on any monotonic clock. ``tag`` is an opaque number the caller may
    use to find its own copy of the event again when the detector hands the key back.
    """

    text: str
    key: int | str
    modifiers: frozenset[str] = frozenset()
    t: float = 0.0
    auto_repeat: bool = False
    tag: int = 0

    @property
    def key_name(self) -> str:
        """The key as a name or a single character, whichever way it was given."""
        if isinstance(self.key, str):
            return self.key
        if 0 < self.key < 0x110000:
            return chr(self.key)
        return f"0x{self.key:x}"


@dataclass(frozen=True)
class Buffer:
    """The current key is held back: it may be part of a scan."""


@dataclass(frozen=True)
class Release:
    """These held keys were typed by a person: hand them to the focused widget, in order."""

    keys: tuple[KeyEvent, ...]


@dataclass(frozen=True)
class Scan:
    """A complete scan; ``keys`` are the presses it swallowed (prefix and suffix included)."""

    data: str
    keys: tuple[KeyEvent, ...] = field(default=(), compare=False)


Decision = Buffer | Release | Scan
