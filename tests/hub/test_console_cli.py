"""``station hub console-user``: a console user created from the command line signs in."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import select

from station.cli.main import main
from station.hub.console.models import ConsoleUser
from station.hub.db import open_hub_database


def test_a_console_user_is_created_with_a_password_from_stdin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'hub.sqlite'}"
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    args = ["hub", "console-user", "ana", "--role", "supervisor", "--password-stdin"]
    assert main([*args, "--db", url]) == 0
    assert "console user ana (supervisor) saved" in capsys.readouterr().out
    hub = open_hub_database(url)
    try:
        with hub.read() as s:
            user = s.scalars(select(ConsoleUser)).one()
    finally:
        hub.close()
    assert user.role == "supervisor"
    assert user.password_hash.startswith("scrypt$") and "a long enough" not in user.password_hash
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main([*args, "--db", url]) == 2
    assert "at least 12 characters" in capsys.readouterr().err
