"""The dossiers' hooks into the unit tree's restructuring services."""

from django.db.models import CharField, Value
from django.db.models.functions import Concat, Substr

from cchc.orgs.services import register_open_work_mover, register_path_listener

from .models import Dossier, DossierEvent


@register_path_listener
def rewrite_dossier_paths(old_prefix: str, new_prefix: str) -> None:
    """A subtree moved: the copied unit paths of its dossiers follow it (one UPDATE)."""
    Dossier.objects.filter(unit_path__startswith=old_prefix).update(
        unit_path=Concat(
            Value(new_prefix, output_field=CharField()),
            Substr("unit_path", len(old_prefix) + 1),
            output_field=CharField(),
        )
    )


@register_open_work_mover
def move_open_dossiers(*, actor, predecessor, successor, effective_on) -> None:
    """A closing unit's open dossiers go to its successor, which answers for them from
    then on; their history (received by the predecessor) stays in their events."""
    open_dossiers = Dossier.objects.filter(unit=predecessor, closed_at__isnull=True)
    ids = list(open_dossiers.values_list("id", flat=True))
    if not ids:
        return
    Dossier.objects.filter(id__in=ids).update(unit=successor, unit_path=successor.path)
    DossierEvent.objects.bulk_create(
        [
            DossierEvent(
                dossier_id=pk,
                kind="handed_over",
                at=max_at,
                unit=successor,
                note=f"Chuyển sang {successor.name} do sắp xếp đơn vị",
                data={"restructuring": True},
            )
            for pk, max_at in _event_times(ids, effective_on)
        ]
    )


def _event_times(ids, effective_on):
    """When each dossier was handed on: the start of the effective day, or its last
    event if that was later."""
    import datetime as dt

    from django.db.models import Max

    from cchc.workdays.calendar import VN_TZ

    start = dt.datetime.combine(effective_on, dt.time.min, tzinfo=VN_TZ)
    last = dict(
        DossierEvent.objects.filter(dossier_id__in=ids)
        .values("dossier_id")
        .annotate(m=Max("at"))
        .values_list("dossier_id", "m")
    )
    return [(pk, max(last.get(pk) or start, start)) for pk in ids]
