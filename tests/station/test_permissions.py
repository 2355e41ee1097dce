"""Roles enforced by the services: who may pack, inspect, approve, override, add users.

Real SQLite with the pack fixtures' users: alice (packer), sam and sue (supervisors, sam's PIN
9999); ines (inspector) and ada (admin) are added here. Every approval path is tried with the
approver being the person at the bench (by badge and by PIN): refused every time.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from station.barcodes import Interpreter
from station.cli.main import main
from station.config import BarcodeSettings
from station.config.returns import ReturnSettings
from station.db import Database, open_database
from station.db.migrate import backup_sqlite
from station.db.models import Role, User
from station.packing.approvals import badge_and_pin_approver
from station.packing.service import PackService
from station.packing.verdicts import Verdict
from station.permissions import (
    PERMISSIONS,
    Action,
    PermissionDenied,
    actions_of,
    allowed,
    require,
)
from station.returns.service import InspectionService
from station.returns.verdicts import ReturnVerdict
from station.session_login import SessionLogin
from station.user_ref import UserRef
from station.users import create_user, hash_pin
from tests.station.packfixtures import MUG, badge, make_service
from tests.station.proof.prooffixtures import prove, rows, stable
from tests.station.returns.returnfixtures import inspector, packed_db

SEALED = {
    "packaging_intact": True,
    "accessories": True,
    "functions": None,
    "cosmetic_damage": False,
    "hygiene_seal": None,
}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("permissions") / "template.sqlite"
    db = packed_db(path)
    with db.session() as s:
        s.add_all(
            [
                User(name="ines", role=Role.INSPECTOR, **badge("BADGE-INES")),
                User(name="ada", role=Role.ADMIN, pin_hash=hash_pin("4242"), **badge("BADGE-ADA")),
            ]
        )
        s.commit()
    db.close()
    return path


@pytest.fixture
def db(template: Path, tmp_path: Path) -> Iterator[Database]:
    database = open_database(backup_sqlite(template, tmp_path / "p.sqlite"))
    yield database
    database.close()


@pytest.fixture
def pack(db: Database) -> Iterator[PackService]:
    service = make_service(db)
    yield service
    service.close()


@pytest.fixture
def inspect(db: Database) -> Iterator[InspectionService]:
    service = inspector(db)
    yield service
    service.close()


def count(db: Database, table: str) -> int:
    return int(str(rows(db, f"SELECT COUNT(*) FROM {table}")[0][0]))


# --- the table ---------------------------------------------------------------------------


def test_the_table_gives_each_role_what_it_does() -> None:
    assert actions_of(Role.PACKER) == (Action.PACK,)
    assert actions_of(Role.INSPECTOR) == (Action.INSPECT_RETURN,)
    supervisor = set(actions_of(Role.SUPERVISOR))
    assert {Action.APPROVE_EXCEPTION, Action.OVERRIDE_WEIGHT, Action.CHANGE_SETTINGS} <= supervisor
    assert Action.MANAGE_USERS not in supervisor
    assert Action.PURGE_PERSONAL_DATA not in supervisor
    assert set(actions_of(Role.ADMIN)) == set(Action)
    assert set(PERMISSIONS) == set(Role)


def test_a_refusal_names_the_user_the_role_and_the_action() -> None:
    ines = User(id=5, name="ines", role=Role.INSPECTOR)
    with pytest.raises(PermissionDenied, match=r"ines \(inspector\) may not pack") as caught:
        require(ines, Action.PACK)
    assert caught.value.action is Action.PACK and caught.value.user is ines
    with pytest.raises(PermissionDenied, match="nobody is signed in"):
        require(None, Action.CHANGE_SETTINGS)
    require(User(name="ada", role=Role.ADMIN), Action.CHANGE_SETTINGS)
    # A role the station does not know (a row written around the ORM) may nothing.
    assert not allowed(User(name="x", role="janitor"), Action.PACK)


# --- who may pack and inspect --------------------------------------------------------------


def test_an_inspector_cannot_pack_and_nothing_is_written(db: Database, pack: PackService) -> None:
    # Her badge signs her in (the window then opens the returns screen); packing is refused.
    assert pack.scan("BADGE-INES").verdict is Verdict.USER_CHANGED
    assert pack.user == pack_user(db, "ines")
    scans, outbox = count(db, "scans"), count(db, "outbox")
    with pytest.raises(PermissionDenied, match="may not pack"):
        pack.scan("SO-1004")
    with pytest.raises(PermissionDenied):
        pack.open_order("SO-1004")
    with pytest.raises(PermissionDenied):
        pack.complete()
    assert (count(db, "scans"), count(db, "outbox")) == (scans, outbox)
    # A packer's badge still switches the bench to the packer.
    assert pack.scan("BADGE-ALICE").verdict is Verdict.USER_CHANGED
    assert pack.scan("SO-1004").verdict is Verdict.ORDER_OPENED


def test_a_packer_cannot_inspect_returns(db: Database, inspect: InspectionService) -> None:
    assert inspect.scan("BADGE-ALICE").verdict is ReturnVerdict.USER_CHANGED
    before = count(db, "return_scans")
    with pytest.raises(PermissionDenied, match="may not inspect return"):
        inspect.scan("RMA-5001")
    assert count(db, "return_scans") == before
    assert inspect.scan("BADGE-INES").verdict is ReturnVerdict.USER_CHANGED
    assert inspect.scan("RMA-5001").verdict is ReturnVerdict.RMA_OPENED


def pack_user(db: Database, name: str) -> UserRef:
    row = rows(db, "SELECT id, name, role FROM users WHERE name = ?", name)[0]
    return UserRef(int(str(row[0])), str(row[1]), str(row[2]))


# --- nobody approves their own exception, on every path ------------------------------------


@pytest.mark.parametrize("credential", ["BADGE-SAM", "BADGE-SAM 9999", "9999"])
def test_a_supervisor_packing_cannot_approve_their_own_quantity(
    pack: PackService, credential: str
) -> None:
    pack.scan("BADGE-SAM")
    pack.scan("SO-1007")
    assert pack.set_quantity(20, credential).verdict is Verdict.NEEDS_SUPERVISOR
    # Waiting for a supervisor's badge: sam's own is refused, sue's approves.
    assert pack.scan("BADGE-SAM").verdict is Verdict.NOT_ALLOWED
    assert pack.scan("BADGE-SUE").verdict is Verdict.QUANTITY_SET


@pytest.mark.parametrize("credential", ["BADGE-SAM", "BADGE-SAM 9999", "BADGE-ALICE", "BADGE-INES"])
@pytest.mark.parametrize("kind", ["short_ship", "damaged"])
def test_an_exception_needs_a_supervisor_other_than_the_packer(
    db: Database, pack: PackService, kind: str, credential: str
) -> None:
    pack.scan("BADGE-SAM")
    pack.scan("SO-1004")
    if kind == "short_ship":
        out = pack.short_ship(1, 1, "out_of_stock", credential)
    else:
        out = pack.report_damage(1, "broken", credential)
    assert out.verdict is Verdict.NEEDS_SUPERVISOR
    assert count(db, "exceptions") == 0
    if kind == "short_ship":
        ok = pack.short_ship(1, 1, "out_of_stock", "BADGE-SUE")
    else:
        ok = pack.report_damage(1, "broken", "BADGE-SUE")
    assert ok.verdict is Verdict.EXCEPTION_RECORDED and "approved by sue" in ok.message


@pytest.mark.parametrize("credential", ["BADGE-SAM", "BADGE-SAM 9999", "BADGE-ALICE", "BADGE-INES"])
def test_a_weight_override_needs_a_supervisor_other_than_the_packer(
    db: Database, tmp_path: Path, credential: str
) -> None:
    svc = prove(db, tmp_path)
    try:
        svc.scan("BADGE-SAM")
        svc.scan("SO-1004")
        svc.scan("BOX-M")
        svc.record_weight(stable(50))
        assert svc.override_weight(credential, "looks fine").verdict is Verdict.NEEDS_SUPERVISOR
        assert svc.override_weight("BADGE-ADA 4242", "ada checked").verdict is (
            Verdict.WEIGHT_OVERRIDE
        )
    finally:
        svc.close()
    assert rows(db, "SELECT approved_by FROM exceptions WHERE kind = 'weight_override'") == [
        (int(str(rows(db, "SELECT id FROM users WHERE name = 'ada'")[0][0])),)
    ]


@pytest.mark.parametrize(
    "credential", [None, "BADGE-INES", "BADGE-ALICE", "BADGE-SAM", "BADGE-SAM 9999"]
)
def test_a_disposition_override_needs_a_supervisor_other_than_the_inspector(
    db: Database, credential: str | None
) -> None:
    svc = InspectionService(
        db,
        Interpreter(BarcodeSettings()),
        ReturnSettings(),
        BarcodeSettings(),
        "returns-1",
        approver=badge_and_pin_approver(db),
    )
    try:
        # sam inspects: his own badge or PIN cannot approve his override.
        svc.scan("BADGE-SAM")
        svc.scan("RMA-5001")
        item = svc.scan(MUG).item
        assert item is not None
        svc.assess(item.id, SEALED)
        out = svc.override(item.id, "liquidate", "none", "scuffed", approver=credential)
        assert out.verdict is ReturnVerdict.NEEDS_SUPERVISOR and "supervisor" in out.message
        assert rows(db, "SELECT rule FROM return_items WHERE id = ?", item.id) == [("sealed",)]
        ok = svc.override(item.id, "liquidate", "none", "scuffed", approver="BADGE-SUE")
        assert ok.verdict is ReturnVerdict.OVERRIDDEN and "approved by sue" in ok.message
    finally:
        svc.close()
    audit = rows(db, "SELECT action, detail FROM audit_log WHERE entity = 'return_item'")
    assert [a[0] for a in audit] == ["approve.disposition_override"]
    assert json.loads(str(audit[0][1]))["approved_by"] == "sue"


# --- users ----------------------------------------------------------------------------------


def test_only_an_admin_adds_users_once_there_is_one(db: Database) -> None:
    with db.session() as s:
        with pytest.raises(PermissionDenied, match="nobody is signed in"):
            create_user(s, "newbie", Role.PACKER)
        sam = s.query(User).filter_by(name="sam").one()
        with pytest.raises(PermissionDenied, match=r"sam \(supervisor\) may not manage users"):
            create_user(s, "newbie", Role.PACKER, by=sam)
        ada = s.query(User).filter_by(name="ada").one()
        assert create_user(s, "newbie", Role.PACKER, pin="5678", by=ada).id
        s.commit()


def test_the_first_admin_is_added_without_one(tmp_path: Path) -> None:
    db = open_database(tmp_path / "fresh.sqlite")
    try:
        with db.session() as s:
            ada = create_user(s, "ada", Role.ADMIN, pin="4242")
            with pytest.raises(PermissionDenied):
                create_user(s, "bob", Role.PACKER)
            create_user(s, "bob", Role.PACKER, by=ada)
            s.commit()
    finally:
        db.close()


# --- the command line -----------------------------------------------------------------------


def test_cli_pack_as_an_inspector_is_refused_with_a_clear_message(
    db: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(f"SO-1004\n{MUG}\n"))
    assert main(["--db", str(db.path), "pack", "--user", "BADGE-INES"]) == 2
    err = capsys.readouterr().err
    assert "--user BADGE-INES: ines (inspector) may not pack" in err
    assert rows(db, "SELECT COUNT(*) FROM scans WHERE raw = 'SO-1004'") == [(0,)]


def test_cli_inspect_as_a_packer_is_refused_with_a_clear_message(
    db: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(":open RMA-5001\n"))
    assert main(["--db", str(db.path), "inspect", "--user", "BADGE-ALICE"]) == 2
    assert "alice (packer) may not inspect return" in capsys.readouterr().err
    assert rows(db, "SELECT COUNT(*) FROM inspections") == [(0,)]


def test_cli_override_is_approved_by_another(
    db: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        ":open RMA-5001",
        MUG,
        ":assess 1 packaging_intact=y accessories=y functions=na cosmetic_damage=n hygiene_seal=na",
        ":override 1 liquidate none by=BADGE-INES scuffed",
        ":override 1 liquidate none by=9999 scuffed",  # sam's PIN alone: never enough
        ":override 1 liquidate none by=BADGE-SAM+9999 scuffed",
    ]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    assert main(["--db", str(db.path), "inspect", "--user", "BADGE-INES", "--json"]) == 0
    verdicts = [json.loads(line)["verdict"] for line in capsys.readouterr().out.splitlines()]
    assert verdicts == [
        "rma_opened",
        "expected",
        "assessed",
        "needs_supervisor",
        "needs_supervisor",
        "overridden",
    ]


# --- PIN lockout ----------------------------------------------------------------------------


class Bench:
    """The engine sign-in tells who is at the bench (only its ``user`` is used)."""

    user: UserRef | None = None


def sign_in(db: Database, clock: list[float]) -> SessionLogin:
    return SessionLogin(
        db,
        Interpreter(BarcodeSettings()),
        Bench(),
        "bench-1",
        max_pin_failures=3,
        pin_lockout_s=600,
        clock=lambda: clock[0],
    )


def test_the_pin_lockout_is_stored_and_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "lockout.sqlite"
    clock = [1_800_000_000.0]
    db = open_database(path)
    with db.session() as s:
        create_user(s, "pat", Role.PACKER, pin="1234")
        s.commit()
    login = sign_in(db, clock)
    assert login.by_pin("0000").reason == "wrong PIN"
    db.close()
    # A restart between failures does not reset the count: two more lock PIN entry.
    db = open_database(path)
    login = sign_in(db, clock)
    for _ in range(2):
        assert login.by_pin("0000").reason == "wrong PIN"
    assert "too many wrong PINs" in login.by_pin("1234").reason
    db.close()
    # Nor does a restart end the lockout: a minute later, nine minutes are left.
    clock[0] += 60
    db = open_database(path)
    try:
        login = sign_in(db, clock)
        assert "wait 541 s" in login.by_pin("1234").reason
        clock[0] += 541
        signed = login.by_pin("1234")
        assert signed.user is not None and signed.user.name == "pat"
        lockouts = rows(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'user.pin_lockout'")
        assert lockouts == [(1,)]
        sent = rows(db, "SELECT payload FROM outbox WHERE type = 'audit.recorded'")
        assert "user.pin_lockout" in [json.loads(str(p[0]))["action"] for p in sent]
    finally:
        db.close()
