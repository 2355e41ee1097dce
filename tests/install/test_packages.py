"""pyproject.toml lists the packages (resources/ is mapped in): none may be left out."""

from __future__ import annotations

import tomllib

from tests.install.conftest import ROOT


def test_every_folder_of_modules_is_a_listed_package() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    on_disk = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for top in ("station", "drivers", "ui")
        for path in (ROOT / top).rglob("*.py")
        if "__pycache__" not in path.parts
    }
    assert on_disk - listed == set(), "add these to [tool.setuptools] packages"
    data_only = set(config.get("package-data", {}))  # folders of templates, styles, scripts
    extra = {p for p in listed if not p.startswith("station.resources")} - on_disk - data_only
    assert extra == set()
    assert config["package-dir"] == {"station.resources": "resources"}
    for kind in ("i18n", "labels", "sounds", "themes"):
        assert f"station.resources.{kind}" in listed
        assert (ROOT / "resources" / kind).is_dir()
