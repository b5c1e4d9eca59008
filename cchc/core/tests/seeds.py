"""The rows the data migrations seed, put back after a transactional test flushed them.

A transactional test (`django_db(transaction=True)`) ends with a flush that empties every
table, including the rows the migrations loaded (feedback kinds, survey questionnaires,
reform areas, the announced working-day swaps). The tests that run after it and need those
rows call `restore_migration_seeds()`; it re-runs the migrations' own seed functions, which
are idempotent, so the rows are exactly the ones a fresh installation has.

(Django's `serialized_rollback` would do the same, but on PostgreSQL it collides with the
content types that the flush's post_migrate signal recreates under new ids.)
"""

from __future__ import annotations

import importlib

from django.apps import apps

# (migration module, forward function), in migration order.
SEEDS = [
    ("cchc.workdays.migrations.0002_announced_schedules_2025_2026", "add_rows"),
    ("cchc.plans.migrations.0002_reform_areas", "load"),
    ("cchc.feedback.migrations.0002_seed_kinds", "seed"),
    ("cchc.feedback.migrations.0004_load_survey_templates", "load"),
    ("cchc.feedback.migrations.0005_conduct_needs_contact", "forward"),
]


def restore_migration_seeds() -> None:
    for module, function in SEEDS:
        getattr(importlib.import_module(module), function)(apps, None)
