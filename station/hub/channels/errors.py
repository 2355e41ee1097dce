"""What can go wrong talking to a shop, in words a supervisor can act on."""

from __future__ import annotations


class ChannelError(Exception):
    """A shop refused or failed a call; the message names the shop and the cause, no secret."""


class ChannelAuthError(ChannelError):
    """The shop answered 401/403: the token or key is wrong or lacks a scope."""
