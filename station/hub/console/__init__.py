"""The hub's web console: evidence search for customer service, the network for supervisors.

Served by the hub's own app under ``/console`` (same process, same port): server-rendered
Jinja2 pages and plain HTML forms, one small script of our own for the network page's live
update. See docs/console.md. ``mount.mount_console`` adds it to the hub's app.
"""
