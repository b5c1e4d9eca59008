"""Plans' hooks into the unit tree's restructuring services."""

from django.db.models import CharField, Value
from django.db.models.functions import Concat, Substr

from cchc.orgs.services import register_path_listener

from . import tallies
from .models import Task


@register_path_listener
def rewrite_task_paths(old_prefix: str, new_prefix: str) -> None:
    """A subtree moved: the copied issuer paths of its tasks follow it (one UPDATE), and
    the tallies of the cascades they belong to are recomputed."""
    moved = Task.objects.filter(issuer_path__startswith=old_prefix)
    roots = list(moved.values_list("root_plan_id", flat=True).distinct())
    Task.objects.filter(issuer_path__startswith=old_prefix).update(
        issuer_path=Concat(
            Value(new_prefix, output_field=CharField()),
            Substr("issuer_path", len(old_prefix) + 1),
            output_field=CharField(),
        )
    )
    for root in roots:
        tallies.rebuild(root)
