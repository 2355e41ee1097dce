"""The central hub: FastAPI app, its database and migrations, imports, the change feed.

Stations push their outbox here and pull the hub's decisions (orders, catalog, users, RMAs);
see docs/architecture.md, "Sync with the hub". Built by ``station.hub.app.create_app``.
"""
