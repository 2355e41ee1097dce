"""The station's side of shipping: the messages to the hub's ``/v1/ship`` API and its client."""
