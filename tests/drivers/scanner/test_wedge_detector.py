"""The wedge detector fed synthetic timings: no clock, no Qt."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from drivers.scanner.keys import GS, Buffer, Decision, KeyEvent, Modifier, Release, Scan
from drivers.scanner.wedge import WedgeConfig, WedgeDetector

CTRL = frozenset({Modifier.CONTROL})
SHIFT = frozenset({Modifier.SHIFT})
ALT_KP = frozenset({Modifier.ALT, Modifier.KEYPAD})


def char(text: str, t: float, mods: frozenset[str] = frozenset()) -> KeyEvent:
    return KeyEvent(text=text, key=text.upper(), modifiers=mods, t=t)


def enter(t: float) -> KeyEvent:
    return KeyEvent(text="\r", key="Return", t=t)


def typed(text: str, start: float = 0.0, step: float = 0.010) -> list[KeyEvent]:
    return [char(c, start + i * step) for i, c in enumerate(text)]


def feed_all(det: WedgeDetector, events: Iterable[KeyEvent]) -> list[Decision]:
    out: list[Decision] = []
    for ev in events:
        out.extend(det.feed(ev))
    return out


def released(decisions: Iterable[Decision]) -> list[KeyEvent]:
    return [k for d in decisions if isinstance(d, Release) for k in d.keys]


def scans(decisions: Iterable[Decision]) -> list[str]:
    return [d.data for d in decisions if isinstance(d, Scan)]


def test_fast_burst_with_enter_is_a_scan_and_swallows_every_key() -> None:
    det = WedgeDetector()
    events = [*typed("4006381333931"), enter(0.130)]
    decisions = feed_all(det, events)
    assert decisions[:-1] == [Buffer()] * 13
    assert decisions[-1] == Scan("4006381333931")
    last = decisions[-1]
    assert isinstance(last, Scan)
    assert last.keys == tuple(events)
    assert not det.holding
    assert det.deadline() is None


def test_person_at_150_ms_per_key_is_released_in_order() -> None:
    det = WedgeDetector()
    events = [*typed("1234", step=0.150), enter(0.600)]
    decisions = feed_all(det, events)
    assert scans(decisions) == []
    assert released(decisions) == events
    # Each key waits for the next one only: 'a' is handed back when 'b' arrives.
    assert det.feed(char("x", 1.0)) == [Buffer()]
    assert det.tick(1.05) == []
    assert det.deadline() == pytest.approx(1.1)
    assert det.tick(1.11) == [Release((char("x", 1.0),))]


def test_person_hitting_enter_alone_gets_it_at_once() -> None:
    det = WedgeDetector()
    assert det.feed(enter(0.0)) == [Release((enter(0.0),))]


def test_one_stall_mid_burst_is_bridged_and_left_out_of_the_mean() -> None:
    det = WedgeDetector()
    events = [*typed("12345"), *typed("67890", start=0.04 + 0.150), enter(0.24 + 0.01)]
    decisions = feed_all(det, events)
    assert scans(decisions) == ["1234567890"]
    assert released(decisions) == []


def test_a_stall_before_the_suffix_is_bridged() -> None:
    det = WedgeDetector()
    decisions = feed_all(det, [*typed("12345678"), enter(0.07 + 0.180)])
    assert scans(decisions) == ["12345678"]


def test_a_second_stall_ends_the_burst() -> None:
    det = WedgeDetector(WedgeConfig(min_length=6))
    events = [*typed("1234"), *typed("5678", start=0.18), *typed("9012", start=0.36), enter(0.40)]
    decisions = feed_all(det, events)
    # Neither the head before the second stall nor the tail after it is long enough.
    assert scans(decisions) == []
    assert released(decisions) == events


def test_a_gap_beyond_the_stall_limit_ends_the_burst() -> None:
    det = WedgeDetector(WedgeConfig(min_length=6))
    events = [*typed("12345"), *typed("67890", start=0.04 + 0.250), enter(0.340)]
    decisions = feed_all(det, events)
    assert scans(decisions) == []
    assert released(decisions) == events


def test_a_slow_start_is_not_bridged() -> None:
    # One key, then a 150 ms pause: nothing scanner-fast came before the pause.
    det = WedgeDetector()
    events = [char("a", 0.0), *typed("bcde", start=0.150), enter(0.190)]
    decisions = feed_all(det, events)
    assert released(decisions) == [events[0]]
    assert scans(decisions) == ["bcde"]


def test_stray_shift_and_control_presses_are_ignored_in_a_scan() -> None:
    det = WedgeDetector()
    shift = KeyEvent(text="", key="Shift", modifiers=SHIFT, t=0.015)
    control = KeyEvent(text="", key="Control", modifiers=CTRL, t=0.025)
    events = [
        char("a", 0.0),
        char("b", 0.01),
        shift,
        char("C", 0.02, SHIFT),
        control,
        char("d", 0.03),
        enter(0.04),
    ]
    decisions = feed_all(det, events)
    assert decisions[-1] == Scan("abCd")
    last = decisions[-1]
    assert isinstance(last, Scan)
    assert shift in last.keys and control in last.keys


def test_a_bare_modifier_with_nothing_held_passes_at_once() -> None:
    det = WedgeDetector()
    shift = KeyEvent(text="", key="Shift", modifiers=SHIFT, t=0.0)
    assert det.feed(shift) == [Release((shift,))]


def test_ctrl_bracket_is_gs_even_without_text() -> None:
    det = WedgeDetector()
    gs = KeyEvent(text="", key=0x5D, modifiers=CTRL, t=0.06)
    events = [*typed("]C1010950", step=0.005)[:6], gs, *typed("1012345", start=0.07), enter(0.15)]
    assert scans(feed_all(det, events)) == ["]C1010" + GS + "1012345"]


def test_gs_given_as_text_is_gs() -> None:
    # X11 gives Ctrl+] the text "\x1d".
    det = WedgeDetector()
    gs = KeyEvent(text=GS, key="]", modifiers=CTRL, t=0.04)
    events = [*typed("0123"), gs, *typed("4567", start=0.05), enter(0.09)]
    assert scans(feed_all(det, events)) == ["0123" + GS + "4567"]


def test_alt_0029_on_the_keypad_is_one_gs() -> None:
    det = WedgeDetector()
    alt = KeyEvent(text="", key="Alt", modifiers=frozenset({Modifier.ALT}), t=0.035)
    digits = [
        KeyEvent(text="", key=d, modifiers=ALT_KP, t=0.04 + i * 0.01) for i, d in enumerate("0029")
    ]
    events = [*typed("0123"), alt, *digits, *typed("4567", start=0.08), enter(0.12)]
    decisions = feed_all(det, events)
    assert scans(decisions) == ["0123" + GS + "4567"]


def test_gs_composed_by_the_os_after_an_alt_code_is_not_doubled() -> None:
    det = WedgeDetector()
    digits = [
        KeyEvent(text="", key=d, modifiers=ALT_KP, t=0.04 + i * 0.01) for i, d in enumerate("29")
    ]
    echo = KeyEvent(text=GS, key=0, t=0.06)
    events = [*typed("0123"), *digits, echo, *typed("4567", start=0.07), enter(0.11)]
    assert scans(feed_all(det, events)) == ["0123" + GS + "4567"]


@pytest.mark.parametrize(
    ("config", "placeholder"),
    [
        (WedgeConfig(gs_keys=frozenset({"F8"})), KeyEvent(text="", key="F8", t=0.04)),
        (WedgeConfig(gs_chars="|"), KeyEvent(text="|", key="|", modifiers=SHIFT, t=0.04)),
    ],
)
def test_configured_placeholder_becomes_gs(config: WedgeConfig, placeholder: KeyEvent) -> None:
    det = WedgeDetector(config)
    events = [*typed("0123"), placeholder, *typed("4567", start=0.05), enter(0.09)]
    assert scans(feed_all(det, events)) == ["0123" + GS + "4567"]


def test_a_person_typing_the_placeholder_gets_the_real_character() -> None:
    det = WedgeDetector(WedgeConfig(gs_chars="|"))
    events = typed("a|b", step=0.2)
    decisions = feed_all(det, events) + det.tick(1.0)
    assert [k.text for k in released(decisions)] == ["a", "|", "b"]


def test_azerty_host_reports_the_digit_row_text_as_typed() -> None:
    # A scanner emulating a US keyboard presses the digit-row keys for "1234"; a host set to
    # AZERTY turns them into &é"'. The detector judges timing only and keeps that text.
    det = WedgeDetector()
    events = [*typed("&é\"'("), enter(0.05)]
    assert scans(feed_all(det, events)) == ["&é\"'("]


def test_shifted_azerty_digits_are_captured_with_their_text() -> None:
    det = WedgeDetector()
    shift = KeyEvent(text="", key="Shift", modifiers=SHIFT, t=0.0)
    events = [shift, *(char(c, 0.001 + i * 0.01, SHIFT) for i, c in enumerate("1234")), enter(0.05)]
    assert scans(feed_all(det, events)) == ["1234"]


def test_shorter_than_min_length_is_released() -> None:
    det = WedgeDetector(WedgeConfig(min_length=4))
    events = [*typed("123"), enter(0.03)]
    decisions = feed_all(det, events)
    assert scans(decisions) == []
    assert released(decisions) == events
    assert scans(feed_all(det, [*typed("1234", start=1.0), enter(1.04)])) == ["1234"]


def test_prefix_is_required_and_removed() -> None:
    det = WedgeDetector(WedgeConfig(prefix="$$"))
    assert scans(feed_all(det, [*typed("$$12345"), enter(0.07)])) == ["12345"]
    decisions = feed_all(det, [*typed("12345", start=1.0), enter(1.05)])
    assert scans(decisions) == []
    assert len(released(decisions)) == 6


def test_tab_as_configured_suffix() -> None:
    det = WedgeDetector(WedgeConfig(suffix_keys=frozenset({"Tab"})))
    tab = KeyEvent(text="\t", key="Tab", t=0.04)
    assert scans(feed_all(det, [*typed("ABCD"), tab])) == ["ABCD"]
    # Enter is not the suffix now: it ends the burst as a person's key.
    events = [*typed("ABCD", start=1.0), enter(1.04)]
    assert released(feed_all(det, events)) == events


def test_without_suffix_a_burst_is_ended_by_tick() -> None:
    det = WedgeDetector(WedgeConfig(suffix_keys=frozenset()))
    assert feed_all(det, typed("ABC-123")) == [Buffer()] * 7
    # A stall could still be under way: the burst waits stall_ms after its last key.
    assert det.deadline() == pytest.approx(0.06 + 0.200)
    assert det.tick(0.06 + 0.150) == []
    assert det.tick(0.06 + 0.201) == [Scan("ABC-123")]
    assert not det.holding


def test_without_suffix_slow_keys_are_released_by_tick() -> None:
    det = WedgeDetector(WedgeConfig(suffix_keys=frozenset()))
    events = typed("ab", step=0.080)
    assert feed_all(det, events) == [Buffer(), Buffer()]
    assert det.deadline() == pytest.approx(0.080 + 0.100)
    assert det.tick(0.181) == [Release(tuple(events))]


def test_without_suffix_a_person_key_ends_a_scan_and_is_released() -> None:
    det = WedgeDetector(WedgeConfig(suffix_keys=frozenset()))
    escape = KeyEvent(text="\x1b", key="Escape", t=0.05)
    decisions = feed_all(det, [*typed("12345"), escape])
    assert decisions[-2:] == [Scan("12345"), Release((escape,))]


def test_with_suffix_configured_tick_releases_an_unterminated_fast_burst() -> None:
    det = WedgeDetector()
    events = typed("12345")
    feed_all(det, events)
    assert det.tick(0.04 + 0.201) == [Release(tuple(events))]


def test_fast_typist_is_released_early_keeping_only_the_newest_key() -> None:
    det = WedgeDetector()
    a, b, c, d = typed("abcd", step=0.070)
    assert det.feed(a) == [Buffer()]
    assert det.feed(b) == [Buffer()]
    assert det.feed(c) == [Release((a, b)), Buffer()]
    assert det.feed(d) == [Buffer()]


def test_scan_soon_after_typing_is_still_caught() -> None:
    # Reaching for the scanner takes far longer than max_gap: the typing has been released.
    det = WedgeDetector()
    person = typed("abc", step=0.070)
    scan = [*typed("98765432", start=0.140 + 0.300), enter(0.440 + 0.080)]
    decisions = feed_all(det, [*person, *scan])
    assert released(decisions) == person
    assert scans(decisions) == ["98765432"]


def test_auto_repeat_is_a_person() -> None:
    det = WedgeDetector()
    first = char("a", 0.0)
    repeat = KeyEvent(text="a", key="A", t=0.5, auto_repeat=True)
    assert det.feed(first) == [Buffer()]
    assert det.feed(repeat) == [Release((first, repeat))]


def test_ctrl_c_after_typing_releases_everything_in_order() -> None:
    det = WedgeDetector()
    a = char("a", 0.0)
    ctrl_c = KeyEvent(text="\x03", key="C", modifiers=CTRL, t=0.02)
    assert det.feed(a) == [Buffer()]
    assert det.feed(ctrl_c) == [Release((a, ctrl_c))]


def test_claims_only_keys_that_continue_a_held_burst() -> None:
    det = WedgeDetector()
    gs = KeyEvent(text="", key="]", modifiers=CTRL, t=0.02)
    assert not det.claims(gs)
    feed_all(det, typed("12"))
    assert det.claims(gs)
    assert not det.claims(KeyEvent(text="", key="]", modifiers=CTRL, t=0.5))
    assert not det.claims(KeyEvent(text="", key="S", modifiers=CTRL, t=0.02))


def test_every_key_is_handed_back_or_swallowed_exactly_once() -> None:
    det = WedgeDetector()
    events = [
        *typed("hello", step=0.12),
        *typed("5901234123457", start=0.7),
        enter(0.83),
        *typed("ok", start=1.0, step=0.09),
    ]
    decisions = feed_all(det, events) + det.tick(5.0)
    seen = [k for d in decisions if isinstance(d, Release | Scan) for k in d.keys]
    assert sorted(seen, key=events.index) == events
    assert len(seen) == len(events)
    assert scans(decisions) == ["5901234123457"]


def test_config_is_validated() -> None:
    with pytest.raises(ValueError, match="min_length"):
        WedgeConfig(min_length=1)
    with pytest.raises(ValueError, match="stall_ms"):
        WedgeConfig(stall_ms=50)
