"""The station's side of sync: enrolment, the HTTP client, push, pull, the worker thread.

``protocol`` holds the messages both sides share; the hub itself lives in ``station.hub``.
"""
