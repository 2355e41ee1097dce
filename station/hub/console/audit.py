"""The console's audit trail: every evidence view, search, sign-in and action, by whom."""

from __future__ import annotations

from sqlalchemy import select

from station.hub.console.models import ConsoleAudit
from station.hub.db import HubDatabase


def audit(
    hub: HubDatabase,
    user: str,
    action: str,
    subject: str | None = None,
    *,
    address: str | None = None,
    detail: str | None = None,
) -> None:
    """Record one view or action (its own short transaction, committed before the answer)."""
    with hub.write() as s:
        s.add(
            ConsoleAudit(
                user_name=user[:64],
                action=action[:64],
                subject=subject[:200] if subject else None,
                address=address,
                detail=detail,
            )
        )


def recent(hub: HubDatabase, limit: int = 100) -> list[ConsoleAudit]:
    """The newest entries first."""
    with hub.read() as s:
        return list(s.scalars(select(ConsoleAudit).order_by(ConsoleAudit.id.desc()).limit(limit)))
