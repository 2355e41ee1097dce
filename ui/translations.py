"""The screens' language: a ``QTranslator`` from ``resources/i18n/station_<language>.qm``.

English is the source language (every string in ``tr()`` is English), so English needs no
file. ``[ui] language`` chooses another; left empty, the system's language is used when there
is a translation for it. The ``.ts`` files are the sources: ``python -m ui.translations``
refreshes them from every module of ``ui/`` (Qt's ``lupdate``) and compiles them to ``.qm``
(``lrelease``); ``tests/ui/test_translations.py`` fails while a ``.ts`` misses a string.
Messages made by ``station/`` (the engine's verdict reasons) stay English: the engine knows
nothing of Qt.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import PySide6
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from station.config import ConfigError
from station.resource_files import resource_dir

UI_DIR = Path(__file__).resolve().parent
I18N_DIR = resource_dir("i18n")
SOURCE_LANGUAGE = "en"
TRANSLATED = ("de",)  # station_<language>.ts besides station_en.ts (the source strings)
QT_TOOLS = Path(PySide6.__file__).resolve().parent  # lupdate and lrelease ship with PySide6


def available_languages() -> list[str]:
    """Languages with a compiled translation, and English."""
    found = {p.stem.removeprefix("station_") for p in I18N_DIR.glob("station_*.qm")}
    return sorted(found | {SOURCE_LANGUAGE})


def chosen_language(setting: str, system: QLocale | None = None) -> str:
    """The language to show: the setting if given, else the system's if translated, else en."""
    if setting:
        return setting
    name = (system or QLocale.system()).name().split("_")[0]  # "de_AT" -> "de"
    return name if name in available_languages() else SOURCE_LANGUAGE


def install_translator(app: QCoreApplication, setting: str) -> QTranslator | None:
    """Install the translation for ``setting`` (see :func:`chosen_language`) on ``app``.

    Returns the translator (the caller removes it on exit), or None for English. A language
    asked for by name that has no file is an error, so a typo in the setting is seen.
    """
    language = chosen_language(setting)
    if language == SOURCE_LANGUAGE:
        return None
    translator = QTranslator(app)
    path = I18N_DIR / f"station_{language}.qm"
    if not translator.load(str(path)):
        known = ", ".join(available_languages())
        raise ConfigError(f"[ui] language {language!r}: no translation {path} (known: {known})")
    app.installTranslator(translator)
    return translator


def source_files(root: Path = UI_DIR) -> list[Path]:
    """Every module whose strings are translated: all of ``ui/``."""
    return sorted(root.rglob("*.py"))


def lupdate(sources: Sequence[Path], ts_files: Sequence[Path]) -> None:
    """Bring ``ts_files`` up to date with the strings of ``sources`` (kept translations stay).

    No source locations (a moved line would change every file) and no strings that left the
    sources, so a ``.ts`` holds exactly what the screens can show.
    """
    command = [str(QT_TOOLS / "lupdate"), "-silent", "-locations", "none", "-no-obsolete"]
    command += [str(p) for p in sources] + ["-ts", *(str(t) for t in ts_files)]
    subprocess.run(command, check=True)


def lrelease(ts_file: Path) -> Path:
    """Compile ``ts_file`` to the ``.qm`` beside it; its path."""
    qm = ts_file.with_suffix(".qm")
    subprocess.run(
        [str(QT_TOOLS / "lrelease"), "-silent", str(ts_file), "-qm", str(qm)], check=True
    )
    return qm


def main() -> int:
    """``python -m ui.translations``: refresh every ``.ts`` from ``ui/``, compile the ``.qm``."""
    ts_files = [I18N_DIR / f"station_{lang}.ts" for lang in (SOURCE_LANGUAGE, *TRANSLATED)]
    lupdate(source_files(), ts_files)
    for ts in ts_files[1:]:
        print(lrelease(ts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
