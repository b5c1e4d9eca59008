"""Units and placements written in bulk, exactly as `services.unit_create` writes them.

For data sets too large for one service call per unit (the national generator). Ids are
assigned here, so a unit's `path` is known before it is inserted; the database must
not be written by anyone else meanwhile (the generator runs on an empty database) and
`reset_sequences` must run after the last insert.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.color import no_style
from django.db import connection

from cchc.core.text import fold
from cchc.orgs.models import BEGINNING, FOREVER, OrgUnit, UnitPlacement

ONE_DAY = dt.timedelta(days=1)
BATCH_SIZE = 2000


class UnitRows:
    """Collects new units and their placements, then inserts them in bulk."""

    def __init__(self, next_id: int):
        self.next_id = next_id
        self.units: list[OrgUnit] = []
        self.placements: list[UnitPlacement] = []
        self._open: dict[int, UnitPlacement] = {}

    def add(
        self,
        *,
        name: str,
        kind: str,
        code: str,
        parent: OrgUnit | None = None,
        school_level: str = "",
        short_name: str = "",
        opened_on: dt.date | None = None,
        closed_on: dt.date | None = None,
    ) -> OrgUnit:
        """A unit under `parent` with its first placement (the same fields as unit_create)."""
        unit_id = self.next_id
        self.next_id += 1
        unit = OrgUnit(
            id=unit_id,
            name=name.strip(),
            name_folded=fold(name),
            short_name=short_name.strip(),
            kind=kind,
            school_level=school_level,
            code=code.strip(),
            parent=parent,
            opened_on=opened_on,
            closed_on=closed_on,
            path=f"{parent.path if parent else '/'}{unit_id}/",
            depth=parent.depth + 1 if parent else 0,
        )
        placement = UnitPlacement(
            unit_id=unit_id,
            parent_id=parent.pk if parent else None,
            path=unit.path,
            valid_from=opened_on or BEGINNING,
            valid_to=closed_on or FOREVER,
        )
        self.units.append(unit)
        self.placements.append(placement)
        self._open[unit_id] = placement
        return unit

    def move(self, unit: OrgUnit, new_parent: OrgUnit, effective_on: dt.date) -> None:
        """Move a leaf unit added here under `new_parent` from `effective_on`, as
        `services.unit_move` would: the current placement ends the day before."""
        current = self._open[unit.pk]
        current.valid_to = effective_on - ONE_DAY
        unit.parent = new_parent
        unit.path = f"{new_parent.path}{unit.pk}/"
        unit.depth = new_parent.depth + 1
        placement = UnitPlacement(
            unit_id=unit.pk,
            parent_id=new_parent.pk,
            path=unit.path,
            valid_from=effective_on,
            valid_to=unit.closed_on or FOREVER,
        )
        self.placements.append(placement)
        self._open[unit.pk] = placement

    def flush(self) -> tuple[int, int]:
        """Insert what was collected; returns (units, placements) inserted."""
        counts = (len(self.units), len(self.placements))
        OrgUnit.objects.bulk_create(self.units, batch_size=BATCH_SIZE)
        UnitPlacement.objects.bulk_create(self.placements, batch_size=BATCH_SIZE)
        self.units, self.placements, self._open = [], [], {}
        return counts


def reset_sequences() -> None:
    """Move the id sequence past the ids assigned here (PostgreSQL; SQLite's
    AUTOINCREMENT follows explicit ids by itself)."""
    statements = connection.ops.sequence_reset_sql(no_style(), [OrgUnit])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
