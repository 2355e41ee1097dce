"""Tell a keyboard-wedge scanner's keystrokes from a person's, by timing alone.

A wedge scanner "types" its code, so the only difference from a person is speed. The
detector is pure: it is fed key presses with their times and answers, per press, with
:class:`~drivers.scanner.keys.Buffer` (hold it back), :class:`~drivers.scanner.keys.Release`
(these held keys were a person's: give them back, in order) or
:class:`~drivers.scanner.keys.Scan`. The first keys of a burst can only be judged once more
keys (or silence) follow, hence the holding. :meth:`WedgeDetector.tick` lets silence end a
burst, for scanners that send no suffix; :meth:`WedgeDetector.deadline` says when to call it.

The rules (times between consecutive presses of character, GS, Alt-code digit or suffix
keys; bare modifier presses are held but neither timed nor counted):

* A burst ends at a quiet gap longer than ``max_gap_ms`` (100 ms), at its suffix key, or at
  a key that cannot be part of a scan (Escape, arrows, Ctrl+C, ...).
* **The stall rule.** Scanners sometimes pause once mid-code (USB polling, a busy host, a
  long code split into reports). One gap longer than ``max_gap_ms`` but no longer than
  ``stall_ms`` (200 ms) is bridged, provided the keys before it were already scanner-fast:
  at least two of them, with a mean interval within ``max_mean_ms``. The stall is left out
  of the mean. A second stall ends the burst. While a bridgeable stall could still be in
  progress, silence ends the burst only after ``stall_ms``.
* A burst is a scan when it ended in a configured suffix (or, with no suffix configured, by
  silence or a non-scan key), its mean interval is at most ``max_mean_ms`` (30 ms), it
  starts with the configured prefix, and the data without prefix and suffix has at least
  ``min_length`` characters. Anything else is released to the person who typed it.
* **Early release.** A burst of three or more timed keys whose mean interval exceeds
  ``release_mean_ms`` (60 ms) cannot become a scan: everything but its newest key is released
  at once, so a fast typist waits for one keystroke, not for the end of the word. The newest
  key starts a new burst, because a scan may begin right after a person's typing.
* A key repeated by holding it down (auto-repeat) is always a person's.
* A person's key pressed less than ``max_gap_ms`` before a scan starts joins the scan (its
  data then fails interpretation). Nobody picks up a scanner that fast; it is accepted.

GS (ASCII 29) arrives as Ctrl+], as an Alt code (Alt held while the digits 0029 are typed on
the keypad), as a configured placeholder key (F8) or character (``|``), or as the character
itself; all become ``"\\x1d"`` inside a scan. AIM symbology identifiers (``]C1``) stay in the
data: the interpreter strips them.

The detector works on the text the keyboard layout produced. A scanner emulating a US
keyboard on a host set to AZERTY types ``&é"'(`` for ``12345``; the detector reports exactly
that, and the fix is the host layout or the scanner's keyboard-country setting.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from drivers.scanner.keys import (
    GS,
    MODIFIER_KEYS,
    Buffer,
    Decision,
    KeyEvent,
    Modifier,
    Release,
    Scan,
)

_DIGITS = frozenset("0123456789")


@dataclass(frozen=True)
class WedgeConfig:
    """Timing and framing rules of a keyboard-wedge scanner (see the module docstring)."""

    max_mean_ms: float = 30.0
    max_gap_ms: float = 100.0
    stall_ms: float = 200.0
    release_mean_ms: float = 60.0
    min_length: int = 4
    prefix: str = ""
    suffix_keys: frozenset[str] = frozenset({"Return", "Enter"})
    gs_keys: frozenset[str] = frozenset()
    gs_chars: str = ""

    def __post_init__(self) -> None:
        # One key has no interval to time, so it could never be told from a person.
        if self.min_length < 2:
            raise ValueError("min_length must be at least 2")
        if not 0 < self.max_mean_ms <= self.max_gap_ms <= self.stall_ms:
            raise ValueError("need 0 < max_mean_ms <= max_gap_ms <= stall_ms")
        if self.release_mean_ms < self.max_mean_ms:
            raise ValueError("release_mean_ms must not be below max_mean_ms")


class _Kind(enum.Enum):
    MODIFIER = enum.auto()  # Shift, Control, ... alone
    SUFFIX = enum.auto()
    ALT_DIGIT = enum.auto()  # a digit typed with Alt held: part of an Alt code
    GS = enum.auto()
    CHAR = enum.auto()
    COMMAND = enum.auto()  # anything a scanner never types: ends a burst


def _alt_code_char(digits: str) -> str:
    # Windows: a leading 0 selects the ANSI code page, none the OEM one. Both map 29 to GS.
    value = int(digits) % 256
    codec = "cp1252" if digits.startswith("0") else "cp437"
    try:
        return bytes([value]).decode(codec)
    except UnicodeDecodeError:  # the five holes in cp1252
        return chr(value)


@dataclass
class _Burst:
    held: list[KeyEvent] = field(default_factory=list)
    chars: list[str] = field(default_factory=list)
    alt_digits: str = ""
    echo_gs: bool = False  # an Alt code just made GS; the OS may type it once more
    timed: int = 0
    last_t: float = 0.0
    intervals: list[float] = field(default_factory=list)
    stall_used: bool = False

    def mean_ms(self) -> float | None:
        if not self.intervals:
            return None
        return 1000.0 * sum(self.intervals) / len(self.intervals)

    def flush_alt(self) -> None:
        if self.alt_digits:
            char = _alt_code_char(self.alt_digits)
            self.chars.append(char)
            self.echo_gs = char == GS
            self.alt_digits = ""


class WedgeDetector:
    """Decides, press by press, whether a burst of keys is a scan or a person typing."""

    def __init__(self, config: WedgeConfig | None = None) -> None:
        self.config = config or WedgeConfig()
        self._burst: _Burst | None = None

    @property
    def holding(self) -> bool:
        """Whether some keys are held back, waiting for a decision."""
        return self._burst is not None

    def feed(self, event: KeyEvent) -> list[Decision]:
        """Judge one key press; the decisions are in the order they must be carried out."""
        kind = self._classify(event)
        out: list[Decision] = []
        burst = self._burst
        if kind is _Kind.MODIFIER:
            if burst is None:
                return [Release((event,))]
            burst.held.append(event)
            return [Buffer()]
        if kind is _Kind.COMMAND or event.auto_repeat:
            self._end(out, by_suffix=False)
            _append(out, Release((event,)))
            return out

        bridge = False
        if burst is not None and burst.timed:
            gap_ms = 1000.0 * (event.t - burst.last_t)
            if gap_ms > self.config.max_gap_ms:
                bridge = gap_ms <= self.config.stall_ms and self._can_bridge(burst)
                if not bridge:
                    self._end(out, by_suffix=False)
                    burst = None
        if kind is _Kind.SUFFIX and (burst is None or not burst.timed):
            # Enter with nothing before it to terminate: a person's.
            held = tuple(burst.held) if burst else ()
            self._burst = None
            _append(out, Release((*held, event)))
            return out

        if burst is None:
            burst = self._burst = _Burst()
        self._add(burst, event, kind, bridge)
        if kind is _Kind.SUFFIX:
            self._end(out, by_suffix=True)
            return out
        mean = burst.mean_ms()
        if burst.timed >= 3 and mean is not None and mean > self.config.release_mean_ms:
            _append(out, Release(tuple(burst.held[:-1])))
            burst = self._burst = _Burst()
            self._add(burst, event, kind, bridge=False)
        out.append(Buffer())
        return out

    def tick(self, t: float) -> list[Decision]:
        """Let silence up to time ``t`` end the held burst, if it has lasted long enough."""
        burst = self._burst
        out: list[Decision] = []
        if burst is not None and 1000.0 * (t - self._quiet_since(burst)) > self._limit_ms(burst):
            self._end(out, by_suffix=False)
        return out

    def deadline(self) -> float | None:
        """When :meth:`tick` next has something to decide, or None when nothing is held."""
        burst = self._burst
        if burst is None:
            return None
        return self._quiet_since(burst) + self._limit_ms(burst) / 1000.0

    def claims(self, event: KeyEvent) -> bool:
        """Whether ``event`` would continue the held burst (so a shortcut must not take it)."""
        burst = self._burst
        if burst is None or not burst.timed:
            return False
        if self._classify(event) in (_Kind.MODIFIER, _Kind.COMMAND) or event.auto_repeat:
            return False
        return 1000.0 * (event.t - burst.last_t) <= self._limit_ms(burst)

    # -- internals ---------------------------------------------------------------------------

    def _classify(self, event: KeyEvent) -> _Kind:
        cfg = self.config
        name, text, mods = event.key_name, event.text, event.modifiers
        ctrl, alt = Modifier.CONTROL in mods, Modifier.ALT in mods
        if name in MODIFIER_KEYS:
            return _Kind.MODIFIER
        if name in cfg.suffix_keys:
            return _Kind.SUFFIX
        if alt and not ctrl and name in _DIGITS:
            return _Kind.ALT_DIGIT
        if (
            text == GS
            or (ctrl and not alt and name == "]")
            or name in cfg.gs_keys
            or (len(text) == 1 and text in cfg.gs_chars)
        ):
            return _Kind.GS
        # Ctrl+Alt is AltGr on Windows and types characters; Ctrl or Alt alone are shortcuts.
        if ctrl != alt or Modifier.META in mods:
            return _Kind.COMMAND
        if text and text.isprintable():
            return _Kind.CHAR
        return _Kind.COMMAND

    def _add(self, burst: _Burst, event: KeyEvent, kind: _Kind, bridge: bool) -> None:
        burst.held.append(event)
        if burst.timed:
            if bridge:
                burst.stall_used = True
            else:
                burst.intervals.append(event.t - burst.last_t)
        burst.timed += 1
        burst.last_t = event.t
        if kind is _Kind.ALT_DIGIT:
            burst.alt_digits += event.key_name
            if len(burst.alt_digits) == 4:
                burst.flush_alt()
            return
        echo_pending = burst.echo_gs
        burst.echo_gs = False
        if burst.alt_digits:
            burst.flush_alt()  # a short (OEM) Alt code ends at the next key, maybe its echo
            echo_pending = burst.echo_gs
            burst.echo_gs = False
        if kind is _Kind.SUFFIX:
            return
        if kind is _Kind.GS:
            # The character GS right after an Alt code for GS is the OS composing that Alt
            # code a second time (on key-up of Alt), not a second separator.
            if not (echo_pending and event.text == GS and event.key_name != "]"):
                burst.chars.append(GS)
            return
        burst.chars.append(event.text)

    def _can_bridge(self, burst: _Burst) -> bool:
        mean = burst.mean_ms()
        return not burst.stall_used and mean is not None and mean <= self.config.max_mean_ms

    def _limit_ms(self, burst: _Burst) -> float:
        return self.config.stall_ms if self._can_bridge(burst) else self.config.max_gap_ms

    @staticmethod
    def _quiet_since(burst: _Burst) -> float:
        return burst.last_t if burst.timed else burst.held[0].t

    def _end(self, out: list[Decision], *, by_suffix: bool) -> None:
        burst, self._burst = self._burst, None
        if burst is None:
            return
        burst.flush_alt()
        data = self._scan_data(burst, by_suffix=by_suffix)
        if data is None:
            _append(out, Release(tuple(burst.held)))
        else:
            out.append(Scan(data, tuple(burst.held)))

    def _scan_data(self, burst: _Burst, *, by_suffix: bool) -> str | None:
        cfg = self.config
        if cfg.suffix_keys and not by_suffix:
            return None
        mean = burst.mean_ms()
        if mean is None or mean > cfg.max_mean_ms:
            return None
        data = "".join(burst.chars)
        if not data.startswith(cfg.prefix):
            return None
        data = data[len(cfg.prefix) :]
        return data if len(data) >= cfg.min_length else None


def _append(out: list[Decision], decision: Release) -> None:
    # Consecutive releases are one hand-back: keeps the caller's work and the tests simple.
    if not decision.keys:
        return
    if out and isinstance(out[-1], Release):
        out[-1] = Release(out[-1].keys + decision.keys)
    else:
        out.append(decision)
