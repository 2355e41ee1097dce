"""``station enroll``: exchange a one-time code for this station's token and keep it."""

from __future__ import annotations

from station.db import Database
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
) -> Enrolment:
    """Enrol ``station`` with the hub at ``hub_url``; HubRefused if the code is not good."""
    with HubClient(hub_url, timeouts=timeouts, ca_file=ca) as client:
        answer = client.enroll(code.strip(), station)
    enrolment = Enrolment(
        url=hub_url.rstrip("/"), station=answer.station, token=answer.token, ca=ca
    )
    save_enrolment(db, enrolment)
    return enrolment
