"""Calls and imports that exist only on POSIX systems, found in the product's source, and
whether each sits in a guarded place (a Windows build would fail on an unguarded one).

Guarded: under an ``if`` that tests ``sys.platform``, ``os.name`` or ``hasattr``, in a
``try`` that catches ImportError / AttributeError, or in a module that is POSIX-only by
design and named in ``POSIX_ONLY_MODULES`` with the reason.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
POSIX_MODULES = {"pty", "tty", "termios", "fcntl", "pwd", "grp", "resource", "posix"}
POSIX_OS = {"fork", "forkpty", "getuid", "geteuid", "getgid", "killpg", "setsid", "getpgid",
            "setpgrp", "mkfifo", "statvfs", "chown", "lchown", "openpty", "ttyname", "sync",
            "getloadavg", "sched_getaffinity", "O_NOFOLLOW", "O_NONBLOCK"}  # fmt: skip
POSIX_SIGNAL = {"SIGKILL", "SIGHUP", "SIGUSR1", "SIGUSR2", "SIGALRM", "SIGCHLD", "SIGSTOP"}
# Modules that are POSIX-only on purpose, and why that is fine.
POSIX_ONLY_MODULES = {
    "drivers/scale/emulator.py": "the emulated scale speaks over a pty (demo and tests)",
    "drivers/scanner/emulator.py": "the emulated scanner speaks over a pty (demo and tests)",
    "drivers/printer/emulator.py": "the emulated printer's serial variant uses a pty",
    "station/tools/pgcluster.py": "starts a throwaway PostgreSQL cluster with initdb for the hub's"
    " tests on Linux; a hub on Windows uses an installed PostgreSQL service",
    "station/tools/loopback.py": "a benchmark tool: hub processes with a descriptor limit",
    "station/tools/benchmarks/hub_attack.py": "a benchmark of attacks on a Linux hub's"
    " descriptors and memory",
}


@dataclass(frozen=True)
class Finding:
    """One POSIX-only name used in the source."""

    path: str
    line: int
    name: str
    guarded: bool

    def __str__(self) -> str:
        where = "guarded" if self.guarded else "UNGUARDED"
        return f"{self.path}:{self.line}: {self.name} ({where})"


def _guards(node: ast.AST) -> bool:
    if isinstance(node, ast.If):
        text = ast.unparse(node.test)
        return any(word in text for word in ("sys.platform", "os.name", "hasattr", "POSIX"))
    if isinstance(node, ast.Try):
        caught = " ".join(ast.unparse(h.type) for h in node.handlers if h.type is not None)
        return any(e in caught for e in ("ImportError", "AttributeError", "ModuleNotFound"))
    return False


def _returned_before(parent: ast.AST, child: ast.AST) -> bool:
    """``child`` comes after an ``if not hasattr(...): return`` (or raise) in ``parent``."""
    body = getattr(parent, "body", None)
    if not isinstance(body, list) or child not in body:
        return False
    for statement in body[: body.index(child)]:
        if (
            _guards(statement)
            and isinstance(statement, ast.If)
            and isinstance(statement.body[-1], ast.Return | ast.Raise)
        ):
            return True
    return False


def _name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Import):
        hits = [a.name for a in node.names if a.name.split(".")[0] in POSIX_MODULES]
        return hits[0] if hits else None
    if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in POSIX_MODULES:
        return node.module
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        if node.value.id == "os" and node.attr in POSIX_OS:
            return f"os.{node.attr}"
        if node.value.id == "signal" and node.attr in POSIX_SIGNAL:
            return f"signal.{node.attr}"
    return None


def find(roots: tuple[str, ...] = ("station", "drivers", "ui")) -> list[Finding]:
    """Every POSIX-only name in the product's modules, guarded or not."""
    found: list[Finding] = []
    for top in roots:
        for path in sorted((ROOT / top).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            tree = ast.parse(path.read_text(encoding="utf-8"))
            parents: dict[ast.AST, ast.AST] = {}
            for parent in ast.walk(tree):
                for child in ast.iter_child_nodes(parent):
                    parents[child] = parent
            for node in ast.walk(tree):
                name = _name(node)
                if name is None:
                    continue
                guarded, child, up = rel in POSIX_ONLY_MODULES, node, parents.get(node)
                while up is not None and not guarded:
                    guarded = _guards(up) or _returned_before(up, child)
                    child, up = up, parents.get(up)
                found.append(Finding(rel, getattr(node, "lineno", 0), name, guarded))
    return found
