"""Returns inspection: RMAs, the inspection session, grading, disposition rules and evidence.

Pure rules (``grading``, ``disposition``, ``settings``) hold no database; ``rmas``,
``journal`` and the service do the I/O. Nothing here imports Qt.
"""
