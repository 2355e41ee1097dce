"""Shopify's GraphQL Admin API, through httpx: fulfilment orders in, fulfilments out.

Only the two operations the hub needs. Both are sent with their expected cost first checked
against the shop's bucket (``CostThrottle``); a ``THROTTLED`` answer is waited out and the
call repeated, any other GraphQL error or a ``userErrors`` entry becomes a ``ChannelError``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx

from station.hub.channels.errors import ChannelAuthError, ChannelError
from station.hub.channels.throttle import CostThrottle

API_VERSION = "2025-01"
PAGE_SIZE = 50
MAX_THROTTLED_RETRIES = 20

FULFILLMENT_ORDERS = """
query FulfillmentOrders($first: Int!, $after: String, $query: String) {
  fulfillmentOrders(first: $first, after: $after, query: $query, includeClosed: false) {
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        id
        status
        updatedAt
        assignedLocation { location { id } }
        order {
          id name email note tags currencyCode cancelledAt
          shippingLine { title code }
          shippingAddress {
            name company address1 address2 city zip provinceCode countryCodeV2 phone
          }
        }
        lineItems(first: 50) {
          edges {
            node {
              id sku totalQuantity remainingQuantity
              variant { barcode }
              originalUnitPriceSet { shopMoney { amount currencyCode } }
            }
          }
        }
      }
    }
  }
}
"""

FULFILLMENT_CREATE = """
mutation FulfillmentCreate($fulfillment: FulfillmentInput!) {
  fulfillmentCreate(fulfillment: $fulfillment) {
    fulfillment { id status trackingInfo { company number url } }
    userErrors { field message }
  }
}
"""

# After a stop mid-batch: which fulfilments the shop already holds for these fulfilment orders.
FULFILMENTS_OF = """
query FulfilmentsOf($ids: [ID!]!) {
  nodes(ids: $ids) {
    ... on FulfillmentOrder {
      id
      status
      fulfillments(first: 10) { nodes { id trackingInfo(first: 5) { number } } }
    }
  }
}
"""


@dataclass
class ShopifyClient:
    """One shop's Admin API; ``base_url`` is ``https://SHOP.myshopify.com`` or an emulator."""

    name: str
    base_url: str
    token: str
    http: httpx.Client
    throttle: CostThrottle

    @classmethod
    def open(cls, name: str, base_url: str, token: str, timeout_s: float = 30.0) -> ShopifyClient:
        """A client with its own connection pool and throttle."""
        return cls(
            name, base_url.rstrip("/"), token, httpx.Client(timeout=timeout_s), CostThrottle()
        )

    def close(self) -> None:
        """Close the connection pool."""
        self.http.close()

    def _call(self, query: str, variables: dict[str, Any], expected_cost: float) -> dict[str, Any]:
        url = f"{self.base_url}/admin/api/{API_VERSION}/graphql.json"
        for _ in range(MAX_THROTTLED_RETRIES):
            self.throttle.wait_for(expected_cost)
            try:
                response = self.http.post(
                    url,
                    json={"query": query, "variables": variables},
                    headers={"X-Shopify-Access-Token": self.token},
                )
            except httpx.HTTPError as exc:
                raise ChannelError(
                    f"{self.name}: cannot reach the shop ({type(exc).__name__})"
                ) from exc
            if response.status_code in (401, 403):
                raise ChannelAuthError(
                    f"{self.name}: the shop refused the access token (HTTP {response.status_code})"
                )
            if response.status_code >= 400:
                raise ChannelError(f"{self.name}: the shop answered HTTP {response.status_code}")
            try:
                body = response.json()
            except ValueError as exc:
                raise ChannelError(f"{self.name}: the shop's answer is not JSON") from exc
            self.throttle.update(body.get("extensions"))
            errors = body.get("errors") or []
            if any(_code(e) == "THROTTLED" for e in errors):
                # The bucket is now known to be short: the next wait_for covers the refill.
                self.throttle.available = min(self.throttle.available or 0.0, 0.0)
                continue
            if errors:
                raise ChannelError(
                    f"{self.name}: the shop refused the query: {_first_message(errors)}"
                )
            data = body.get("data")
            if not isinstance(data, dict):
                raise ChannelError(f"{self.name}: the shop's answer has no data")
            return data
        raise ChannelError(f"{self.name}: still throttled after {MAX_THROTTLED_RETRIES} tries")

    def fulfillment_orders(self, location_ids: list[str]) -> Iterator[dict[str, Any]]:
        """Every open fulfilment order assigned to one of ``location_ids``, page by page."""
        search = " OR ".join(f"assigned_location_id:{_numeric(i)}" for i in location_ids)
        after: str | None = None
        while True:
            data = self._call(
                FULFILLMENT_ORDERS,
                {"first": PAGE_SIZE, "after": after, "query": search or None},
                expected_cost=2 + PAGE_SIZE * 3,
            )
            connection = data.get("fulfillmentOrders") or {}
            for edge in connection.get("edges") or []:
                yield edge["node"]
            page = connection.get("pageInfo") or {}
            if not page.get("hasNextPage"):
                return
            after = page.get("endCursor")

    def fulfillment_create(
        self,
        fulfillment_order_ids: list[str],
        *,
        company: str | None,
        number: str | None,
        url: str | None,
    ) -> str:
        """Create a fulfilment of the whole of these fulfilment orders; returns its id."""
        tracking = {k: v for k, v in (("company", company), ("number", number), ("url", url)) if v}
        variables = {
            "fulfillment": {
                "lineItemsByFulfillmentOrder": [
                    {"fulfillmentOrderId": i} for i in fulfillment_order_ids
                ],
                "trackingInfo": tracking,
                "notifyCustomer": True,
            }
        }
        data = self._call(FULFILLMENT_CREATE, variables, expected_cost=10)
        result = data.get("fulfillmentCreate") or {}
        user_errors = result.get("userErrors") or []
        if user_errors:
            raise ChannelError(
                f"{self.name}: fulfillmentCreate refused: {_first_message(user_errors)}"
            )
        fulfillment = result.get("fulfillment") or {}
        return str(fulfillment.get("id", ""))

    def fulfilment_with(self, fulfillment_order_ids: list[str], number: str | None) -> str | None:
        """The id of a fulfilment of these fulfilment orders carrying tracking ``number`` (with
        no tracking, one carrying none); None if the shop holds no such fulfilment."""
        data = self._call(
            FULFILMENTS_OF,
            {"ids": fulfillment_order_ids},
            expected_cost=1 + 12 * len(fulfillment_order_ids),
        )
        for node in data.get("nodes") or []:
            connection = (node or {}).get("fulfillments") or {}
            for fulfilment in connection.get("nodes") or []:
                numbers = [t.get("number") for t in fulfilment.get("trackingInfo") or []]
                if (number in numbers) if number else not any(numbers):
                    return str(fulfilment.get("id", ""))
        return None


def _code(error: Any) -> str | None:
    if isinstance(error, dict):
        ext = error.get("extensions")
        if isinstance(ext, dict):
            return str(ext.get("code"))
    return None


def _first_message(errors: Any) -> str:
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        return str(errors[0].get("message", errors[0]))[:300]
    return str(errors)[:300]


def _numeric(location_id: str) -> str:
    """``gid://shopify/Location/123`` or ``123`` -> ``123`` (the search syntax wants the number)."""
    return location_id.rsplit("/", 1)[-1]
