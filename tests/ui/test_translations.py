"""Every string of the screens is translatable, the ``.ts`` files hold all of them, and German
shows on the real sign-in and pack screens when ``[ui] language = "de"``.

Messages made by ``station/`` (the engine's reasons below a verdict's title) stay English.
"""

from __future__ import annotations

import ast
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from station.config import ConfigError
from station.db import Database
from station.packing.verdicts import Verdict
from tests.station.packfixtures import STRAY
from tests.ui.stationfixtures import (
    WAIT_MS,
    RecordingPlayer,
    assert_nothing_left,
    open_station,
    sign_in,
)
from tests.ui.test_pack_window import scan
from ui.composition import Station
from ui.settings import load_ui_settings
from ui.translations import (
    I18N_DIR,
    TRANSLATED,
    UI_DIR,
    chosen_language,
    install_translator,
    lrelease,
    lupdate,
    source_files,
)

TS_FILES = [I18N_DIR / "station_en.ts"] + [I18N_DIR / f"station_{lang}.ts" for lang in TRANSLATED]
REFRESH = "run `python -m ui.translations` and translate what it added"


def strings(ts: Path) -> set[tuple[str, str]]:
    """(context, source text) of every message in ``ts``."""
    root = ET.parse(ts).getroot()
    return {
        (context.findtext("name") or "", message.findtext("source") or "")
        for context in root.iter("context")
        for message in context.iter("message")
    }


@pytest.mark.parametrize("ts", TS_FILES, ids=lambda p: p.name)
def test_the_ts_file_holds_exactly_the_strings_of_the_screens(ts: Path, tmp_path: Path) -> None:
    fresh = tmp_path / ts.name
    shutil.copy(ts, fresh)
    lupdate(source_files(), [fresh])  # what the sources hold now, translations kept
    kept, now = strings(ts), strings(fresh)
    missing, lost = sorted(now - kept), sorted(kept - now)
    assert missing == [], f"{ts.name} misses {len(missing)} strings ({REFRESH}): {missing[:20]}"
    assert lost == [], f"{ts.name} holds {len(lost)} strings the screens lost ({REFRESH}): {lost}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_compiled_translation_is_that_of_its_ts(lang: str, tmp_path: Path) -> None:
    ts = tmp_path / f"station_{lang}.ts"
    shutil.copy(I18N_DIR / ts.name, ts)
    compiled = lrelease(ts)
    assert compiled.read_bytes() == (I18N_DIR / compiled.name).read_bytes(), REFRESH


def hidden_strings(path: Path) -> list[str]:
    """Calls whose text lupdate cannot read: ``tr``/``translate`` of a variable, or a bare
    ``tr(...)`` alias (lupdate gives it no context)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        texts = {"tr": node.args[:1], "translate": node.args[:2]}.get(name)
        if texts is None:
            continue
        literal = all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in texts)
        if not literal or not texts or (isinstance(func, ast.Name) and name == "tr"):
            found.append(f"{path.relative_to(UI_DIR.parent)}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_no_string_is_hidden_from_lupdate() -> None:
    hidden = [hit for path in source_files() for hit in hidden_strings(path)]
    assert hidden == [], "write literal self.tr('...') or translate('Context', '...'):\n" + (
        "\n".join(hidden)
    )


def test_the_language_setting_wins_then_the_system_then_english(tmp_path: Path) -> None:
    assert chosen_language("de", QLocale("fr_FR")) == "de"
    assert chosen_language("", QLocale("de_AT")) == "de"
    assert chosen_language("", QLocale("fr_FR")) == "en"  # no French: English
    assert chosen_language("", QLocale("en_GB")) == "en"
    config = tmp_path / "station.toml"
    config.write_text('[ui]\nlanguage = "de"\n', encoding="utf-8")
    assert load_ui_settings(config, env={}).language == "de"


def test_a_language_without_a_translation_is_refused_by_name(qapp: QApplication) -> None:
    with pytest.raises(ConfigError, match=r"\[ui\] language 'xx': no translation"):
        install_translator(qapp, "xx")
    assert install_translator(qapp, "en") is None  # the source language needs no file


@pytest.fixture
def german(qtbot: QtBot, qapp: QApplication, ui_db: Database) -> Iterator[Station]:
    """The station built with the German translation installed, as ``station-ui`` does."""
    before = {id(w) for w in QApplication.topLevelWidgets()}
    translator = install_translator(qapp, "de")
    assert translator is not None
    try:
        station = open_station(ui_db, RecordingPlayer())
        yield station
        station.close()
    finally:
        qapp.removeTranslator(translator)
    assert_nothing_left(before)


def texts(widget: object) -> set[str]:
    assert hasattr(widget, "findChildren")
    return {label.text() for label in widget.findChildren(QLabel)}


def test_sign_in_and_the_pack_screen_speak_german(qtbot: QtBot, german: Station) -> None:
    window, pack = german.window, german.window.pack
    assert window.windowTitle().startswith("Packplatz — ")
    assert {"Ausweis scannen", "oder PIN eingeben und Enter drücken"} <= texts(window.login_screen)
    assert window.login_screen.pin_input.placeholderText() == "PIN"

    sign_in(qtbot, window, "BADGE-ALICE")
    buttons = [pack.undo_button, pack.new_box_button, pack.complete_button, pack.ack_button]
    assert [b.text() for b in buttons] == [
        "Zurück  [F5]",
        "Neuer Karton  [F6]",
        "Fertig  [F9]",
        "Bestätigen  [F12/Esc]",
    ]
    assert pack.banner.verdict == "ready" and pack.banner.text().startswith("BEREIT\n")

    assert scan(qtbot, pack, "SO-1001").verdict is Verdict.ORDER_OPENED
    assert pack.banner.text().startswith("AUFTRAG OFFEN\n")
    wrong = scan(qtbot, pack, STRAY)
    assert wrong.verdict is Verdict.WRONG_ITEM
    title, reason, hint = pack.banner.text().split("\n")
    assert title == "FALSCHER ARTIKEL"
    assert reason == wrong.message  # the engine's reason: English, from station/
    assert hint == "Zum Bestätigen CMD-CONFIRM scannen oder F12 / Esc drücken"
    assert scan(qtbot, pack, "CMD-CONFIRM").verdict is Verdict.CONFIRMED
    assert pack.banner.text().startswith("BESTÄTIGT\n")
    # The longer German words still fit the bench's smallest screen (a window grows past the
    # size it was given when its contents need more).
    qtbot.waitUntil(lambda: pack.header.details_text() != "", timeout=WAIT_MS)
    assert (window.width(), window.height()) == (1280, 800)
