"""Sites (micro-hubs): each has a ship-from address; stations and orders belong to one.

One site is the default (``main``, made by the migration): an order without a ``site``, a user
without ``sites`` and a station enrolled without one belong to it, so a single-site shop
configures nothing. A user may belong to several sites; a station receives only its site's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from station.hub.models import HubSite, HubStation

SHIP_FROM_REQUIRED = ("name", "street1", "city", "postcode", "country")


class SiteError(ValueError):
    """A site that does not exist, or a ship-from address that cannot ship."""


@dataclass(frozen=True)
class SiteScope:
    """Which orders a station may see: its site's, and unassigned ones if it is the default."""

    code: str
    is_default: bool


def default_site(session: Session) -> str:
    """The default site's code."""
    code = session.scalar(select(HubSite.code).where(HubSite.is_default.is_(True)))
    if code is None:
        raise SiteError("no default site: run the hub's migrations")
    return str(code)


def known_sites(session: Session) -> set[str]:
    """Codes of every site."""
    return {str(c) for c in session.scalars(select(HubSite.code))}


def check_site(session: Session, code: str | None) -> str:
    """``code`` if the site exists, the default site's for None; SiteError otherwise."""
    if code is None:
        return default_site(session)
    if session.get(HubSite, code) is None:
        raise SiteError(f"unknown site {code!r} (known: {', '.join(sorted(known_sites(session)))})")
    return code


def scope_of_station(session: Session, station_id: int) -> SiteScope:
    """The site scope a station pulls orders in."""
    site = session.scalar(select(HubStation.site).where(HubStation.id == station_id))
    default = default_site(session)
    code = str(site) if site else default
    return SiteScope(code, code == default)


def user_at_site(user: dict[str, Any], site: SiteScope) -> bool:
    """Whether a user record (its ``sites``; none: the default site) belongs at ``site``."""
    sites = user.get("sites")
    if not sites:
        return site.is_default
    return site.code in sites


def order_at_site(order: dict[str, Any], site: SiteScope) -> bool:
    """Whether an order record (its ``site``; none: the default site) belongs at ``site``."""
    code = order.get("site")
    if not code:
        return site.is_default
    return bool(code == site.code)


def check_sites(session: Session, codes: list[str] | None) -> list[str] | None:
    """``codes`` without repeats if every site exists, None for none; SiteError otherwise."""
    if not codes:
        return None
    return [check_site(session, c) for c in dict.fromkeys(codes)]


def ship_from(session: Session, code: str) -> dict[str, Any]:
    """The site's ship-from address; SiteError when it has none yet."""
    site = session.get(HubSite, code)
    if site is None:
        raise SiteError(f"unknown site {code!r}")
    if not site.ship_from:
        raise SiteError(f"site {code!r} has no ship-from address: set it with `station hub site`")
    return dict(site.ship_from)


def put_site(
    session: Session,
    code: str,
    name: str,
    address: dict[str, Any] | None,
    *,
    make_default: bool = False,
) -> None:
    """Create or change a site; ``make_default`` moves the default to it."""
    if address is not None:
        missing = [f for f in SHIP_FROM_REQUIRED if not str(address.get(f) or "").strip()]
        if missing:
            raise SiteError(f"ship-from address lacks {', '.join(missing)}")
    site = session.get(HubSite, code)
    if site is None:
        site = HubSite(code=code, name=name, ship_from=address, is_default=False)
        session.add(site)
    else:
        site.name = name
        if address is not None:
            site.ship_from = address
    session.flush()
    if make_default:
        session.execute(update(HubSite).values(is_default=HubSite.code == code))


def list_sites(session: Session) -> list[dict[str, Any]]:
    """Every site with its address and whether it is the default."""
    return [
        {"code": s.code, "name": s.name, "default": s.is_default, "ship_from": s.ship_from}
        for s in session.scalars(select(HubSite).order_by(HubSite.code))
    ]
