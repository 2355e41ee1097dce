"""What each role may do, checked by the services themselves (not only by hidden buttons).

A screen hides what a role may not use, but the command line, a script or a bug can reach a
service directly; so each service entry point asks :func:`require` before it writes anything,
and a refusal names the user, their role and the action. The table is data: one place to read
(and to document) who may do what.
"""

from __future__ import annotations

import enum
from typing import Protocol

from station.db.models import Role


class Action(enum.StrEnum):
    """Something a user does that not every role may do."""

    PACK = "pack"
    INSPECT_RETURN = "inspect_return"
    APPROVE_EXCEPTION = "approve_exception"  # short-ship, damage, quantity above the limit
    OVERRIDE_WEIGHT = "override_weight"
    OVERRIDE_DISPOSITION = "override_disposition"
    CHANGE_SETTINGS = "change_settings"
    MANAGE_USERS = "manage_users"
    PURGE_PERSONAL_DATA = "purge_personal_data"


_SUPERVISION = frozenset(
    {
        Action.PACK,
        Action.INSPECT_RETURN,
        Action.APPROVE_EXCEPTION,
        Action.OVERRIDE_WEIGHT,
        Action.OVERRIDE_DISPOSITION,
    }
)

PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.PACKER: frozenset({Action.PACK}),
    Role.INSPECTOR: frozenset({Action.INSPECT_RETURN}),
    Role.SUPERVISOR: _SUPERVISION | {Action.CHANGE_SETTINGS},
    Role.ADMIN: frozenset(Action),
}

# Actions that approve someone's exception: the approver may never be the one who asked.
APPROVALS = frozenset(
    {
        Action.APPROVE_EXCEPTION,
        Action.OVERRIDE_WEIGHT,
        Action.OVERRIDE_DISPOSITION,
    }
)


class Actor(Protocol):
    """Anyone with a name and a role: a ``User`` row, a ``UserRef`` or a ``BenchUser``."""

    @property
    def name(self) -> str: ...

    @property
    def role(self) -> str: ...


class PermissionDenied(Exception):  # noqa: N818 - the name says what the caller gets
    """A user (or nobody) tried an action their role does not allow."""

    def __init__(self, user: Actor | None, action: Action) -> None:
        self.user = user
        self.action = action
        if user is None:
            message = f"nobody is signed in: {action.value} needs a user"
        else:
            message = f"{user.name} ({user.role}) may not {action.value.replace('_', ' ')}"
        super().__init__(message)


def role_of(user: Actor) -> Role | None:
    """The user's role, or None if it is not one the station knows (such a user may nothing)."""
    try:
        return Role(str(user.role))
    except ValueError:
        return None


def allowed(user: Actor | None, action: Action) -> bool:
    """True if ``user``'s role may do ``action`` (nobody signed in may do nothing)."""
    if user is None:
        return False
    role = role_of(user)
    return role is not None and action in PERMISSIONS[role]


def require(user: Actor | None, action: Action) -> None:
    """Raise :class:`PermissionDenied` unless ``user`` may do ``action``."""
    if not allowed(user, action):
        raise PermissionDenied(user, action)


def actions_of(role: Role | str) -> tuple[Action, ...]:
    """What ``role`` may do, in the order of :class:`Action` (for the README and screens)."""
    granted = PERMISSIONS[Role(role)]
    return tuple(a for a in Action if a in granted)
