"""The screens' language: a ``QTranslator`` from ``resources/i18n/station_<language>.qm``.

English is the source language (every string in ``tr()`` is English), so English needs no
file. ``[ui] language`` chooses another; left empty, the system's language is used when there
is a translation for it. The ``.ts`` files are the sources: ``pyside6-lupdate`` refreshes
them from ``ui/`` and ``pyside6-lrelease`` compiles them (see ``resources/i18n/README.md``).
Messages made by ``station/`` (the engine's verdict reasons) stay English: the engine knows
nothing of Qt.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from station.config import ConfigError

I18N_DIR = Path(__file__).resolve().parents[1] / "resources" / "i18n"
SOURCE_LANGUAGE = "en"


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
