"""The DIM rules of this station's site, fetched from its hub (``GET /v1/ship/rules``) and
kept in the ``settings`` table, where the box suggestion reads them
(``station.packing.billed``): it then weighs billed weight with the hub's own divisors, also
while the hub is out of reach. The table itself lives only on the hub.
"""

from __future__ import annotations

from station.db import Database
from station.ship.dim import SETTING, DimRule, rules_json
from station.ship.protocol import ShipRules
from station.sync.state import read_setting, set_setting


def save_rules(db: Database, rules: ShipRules) -> None:
    """Keep the rules the hub sent (replacing the last; unchanged: nothing written)."""
    kept = rules_json(
        {c: DimRule(d.divisor, d.imperial, d.min_volume) for c, d in rules.dim.items()}
    )
    if read_setting(db, SETTING) == kept:
        return
    with db.session() as session:
        set_setting(session, SETTING, kept)
        session.commit()
