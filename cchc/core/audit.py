"""The audit trail helper every service calls.

Usage in a service::

    before = audit.snapshot(unit)
    unit.name = name
    unit.save(update_fields=["name"])
    audit.record(actor=actor, obj=unit, event="unit.renamed", before=before)
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import models

from .models import AuditEvent


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def target_type_of(obj: models.Model) -> str:
    return obj._meta.label_lower


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The audited values of a record: its concrete fields (FKs as ids), JSON-ready."""
    result = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in {"created_at", "updated_at", "password"}:
            continue
        result[field.name] = _plain(getattr(obj, field.attname))
    return result


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    keys = set(before) | set(after)
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(keys)
        if before.get(key) != after.get(key)
    }


def record(
    *,
    actor,
    obj: models.Model,
    event: str,
    action: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event for `obj`.

    With `before` only, the record's current state is the "after"; creation passes no
    `before`; deletion passes `action="delete"` and the snapshot taken before deleting.
    """
    if action is None:
        action = AuditEvent.Action.CREATE if before is None else AuditEvent.Action.UPDATE
    if changes is None:
        if action == AuditEvent.Action.DELETE:
            changes = {k: [v, None] for k, v in (before or snapshot(obj)).items()}
        else:
            changes = diff(before or {}, after if after is not None else snapshot(obj))
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        event=event,
        target_type=target_type_of(obj),
        target_id=str(obj.pk),
        target_repr=str(obj)[:300],
        changes=_plain(changes),
    )


def record_bulk(*, actor, objs: Iterable[models.Model], event: str, action: str) -> int:
    """One audit row per object, inserted in bulk (for restructuring and imports)."""
    rows = [
        AuditEvent(
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            action=action,
            event=event,
            target_type=target_type_of(obj),
            target_id=str(obj.pk),
            target_repr=str(obj)[:300],
            changes=_plain(getattr(obj, "_audit_changes", {})),
        )
        for obj in objs
    ]
    AuditEvent.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def history_for(obj: models.Model):
    """The audit trail of one record, newest first."""
    return AuditEvent.objects.filter(
        target_type=target_type_of(obj), target_id=str(obj.pk)
    ).select_related("actor")
