"""Run by tests/install/test_wheel.py with the python of a fresh venv, from outside the checkout:
everything the station reads at run time must come from the installed wheel.

Standalone on purpose (the tests are not installed): imports only the installed packages.
Prints one JSON object with what it checked; any failure raises.
"""

from __future__ import annotations

import json
import subprocess
import sys
import wave
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import select

import drivers
import station
import ui
from station.config import Settings
from station.db import open_database
from station.db.models import Order, Package, PackSession
from station.labels.errors import LabelError
from station.labels.rules import TEMPLATES
from station.labels.service import render_order_label
from station.labels.templates import load_template
from station.resource_files import resource_dir
from station.tools.demo import seed_demo
from ui.sounds import Sound
from ui.theme import DEFAULT_THEME, theme_path
from ui.translations import available_languages, install_translator

venv = Path(sys.prefix)
work = Path(sys.argv[1])
for package in (station, drivers, ui):
    assert Path(package.__file__ or "").is_relative_to(venv), package.__file__
for kind in ("labels", "sounds", "themes", "i18n"):
    assert resource_dir(kind).is_relative_to(venv), resource_dir(kind)

# The simulated packer, as a technician would run it: the console script of this venv.
db_path = work / "station.sqlite"
sim = subprocess.run(
    [str(venv / "bin" / "station"), "--db", str(db_path), "simulate", "--demo-data",
     "--orders", "3", "--json"],
    capture_output=True, text=True, timeout=600, check=False, cwd=work,
)  # fmt: skip
assert sim.returncode == 0, sim.stderr
simulated = json.loads(sim.stdout.splitlines()[-1])
assert simulated["orders_packed"] == 3 and simulated["labels_printed"] >= 3, simulated

# Every template file parses; every template renders for some order of a fresh demo book.
templates = sorted(p.stem for p in resource_dir("labels").glob("*.toml"))
for name in templates:
    load_template(name)
settings = Settings(db_path=work / "labels.sqlite")
db = open_database(settings.db_path)
rendered = dict.fromkeys(TEMPLATES, 0)
try:
    seed_demo(db, orders=20, products=40, seed=1)
    with db.session() as s:
        orders = list(s.scalars(select(Order).order_by(Order.number)))
        for order in orders:
            pack = PackSession(order_id=order.id, station="wheel")
            s.add(pack)
            s.flush()
            s.add(Package(session_id=pack.id, order_id=order.id, seq_no=1, weight_g=900.0))
        s.commit()
    fields = {"tag_id": "RT-1", "disposition": "RESTOCK"}
    for order in orders:
        for template in TEMPLATES:
            try:
                zpl = render_order_label(db, settings, order.number, template, "zpl", fields=fields)
            except LabelError:
                continue  # a template that does not apply to this order (domestic, no gift)
            assert zpl.startswith(b"^XA"), zpl[:20]
            rendered[template] += 1
    png = render_order_label(db, settings, orders[0].number, "shipping", "png")
    assert png.startswith(b"\x89PNG")
finally:
    db.close()
assert all(rendered.values()), rendered

# Sounds, theme, translation (offscreen: the caller sets QT_QPA_PLATFORM): the files Qt is
# handed exist and load.
sounds = {}
for sound in Sound:
    with wave.open(str(sound.path)) as wav:
        sounds[sound.value] = wav.getnframes()
    assert sounds[sound.value] > 0, sound
app = QApplication([])
sheet = theme_path(DEFAULT_THEME).read_text(encoding="utf-8")
widget = QWidget()
widget.setStyleSheet(sheet)
assert "de" in available_languages()
translator = install_translator(app, "de")
assert translator is not None and not translator.isEmpty()
german = QCoreApplication.translate("ApprovalDialog", "Supervisor")
assert german != "Supervisor", german
print(json.dumps({
    "simulated": simulated, "templates": templates, "rendered": rendered, "sounds": sounds,
    "theme_bytes": len(sheet), "translation": translator.language(), "german": german,
}))  # fmt: skip
