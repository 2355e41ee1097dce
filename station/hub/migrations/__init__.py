"""Alembic scripts of the hub's database (separate from the station's)."""
