"""The station's calls to the hub's ``/v1/ship`` API, with its enrolment's token."""

from __future__ import annotations

from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from station.ship import protocol as p
from station.sync.client import HubRefused, HubUnavailable
from station.sync.protocol import ErrorBody
from station.sync.state import Enrolment
from station.sync.trust import trust

_M = TypeVar("_M", bound=BaseModel)
# Carriers answer slowly: the hub waits up to its carrier time-out (15 s by default) per call.
TIMEOUT = httpx.Timeout(60.0, connect=5.0)


class ShipClient:
    """Shipping calls to one hub (HubUnavailable when unreachable, HubRefused with the reason)."""

    def __init__(self, enrolment: Enrolment, transport: httpx.BaseTransport | None = None):
        self._http = httpx.Client(
            base_url=enrolment.url,
            headers={"Authorization": f"Bearer {enrolment.token}"},
            timeout=TIMEOUT,
            verify=trust(enrolment.ca),
            transport=transport,
        )

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def __enter__(self) -> ShipClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def rules(self) -> p.ShipRules:
        """The DIM rules of the carriers of the station's site."""
        return self._json("GET", p.RULES, p.ShipRules)

    def rates(self, package: p.PackageRequest) -> p.RatesResponse:
        """Rates of the station's site for the package."""
        return self._json("POST", p.RATES, p.RatesResponse, json=package.model_dump(mode="json"))

    def buy(self, request: p.BuyRequest) -> p.Shipment:
        """Buy (or get again, on a retry) the package's label."""
        return self._json("POST", p.BUY, p.Shipment, json=request.model_dump(mode="json"))

    def void(self, order_number: str, package_no: int) -> p.Shipment:
        """Void the package's label."""
        body = p.VoidRequest(order_number=order_number, package_no=package_no)
        return self._json("POST", p.VOID, p.Shipment, json=body.model_dump())

    def label(self, order_number: str, package_no: int) -> bytes:
        """The bought label's bytes (a reprint)."""
        return self._send("GET", f"{p.LABEL}/{order_number}/{package_no}").content

    def manifest(self, account: str, date: str | None) -> p.Manifest:
        """Close out an account's labels of a day."""
        body = p.ManifestRequest(account=account, date=date)
        return self._json("POST", p.MANIFEST, p.Manifest, json=body.model_dump())

    def document(self, sha256: str) -> bytes:
        """A manifest's document."""
        return self._send("GET", f"{p.MANIFEST}/document/{sha256}").content

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise HubUnavailable(f"hub unreachable: {type(exc).__name__}: {exc}") from exc
        if response.status_code >= 400:
            try:
                body = ErrorBody.model_validate_json(response.content)
            except ValidationError:
                body = ErrorBody(error=f"http_{response.status_code}", message=response.text[:200])
            if response.status_code in (500, 502) and body.error.startswith("http_"):
                raise HubUnavailable(f"hub error {response.status_code}")
            raise HubRefused(response.status_code, body)
        return response

    def _json(self, method: str, path: str, model: type[_M], **kwargs: Any) -> _M:
        response = self._send(method, path, **kwargs)
        try:
            return model.model_validate_json(response.content)
        except ValidationError as exc:
            raise HubUnavailable(
                f"unexpected answer from the hub: {exc.errors()[0]['msg']}"
            ) from exc
