"""``station enroll``: exchange a one-time code for this station's token and keep it."""

from __future__ import annotations

from station.db import Database
from station.sync.cleartext import check_hub_url
from station.sync.client import HubClient, Timeouts
from station.sync.state import Enrolment, save_enrolment


def enroll_station(
    db: Database,
    hub_url: str,
    code: str,
    station: str,
    *,
    ca: str | None = None,
    timeouts: Timeouts | None = None,
    require_tls: bool = False,
) -> Enrolment:
    """Enrol ``station`` with the hub at ``hub_url``; HubRefused if the code is not good.

    CleartextRefused (before anything is sent) for plain HTTP to another machine when
    ``require_tls``; the caller warns otherwise (see :mod:`station.sync.cleartext`).
    """
    check_hub_url(hub_url, "the enrolment code and the token", require_tls=require_tls)
    with HubClient(hub_url, timeouts=timeouts, ca_file=ca) as client:
        answer = client.enroll(code.strip(), station)
    enrolment = Enrolment(
        url=hub_url.rstrip("/"), station=answer.station, token=answer.token, ca=ca
    )
    save_enrolment(db, enrolment)
    return enrolment
