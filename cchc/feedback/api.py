"""Filled in by issue 7."""

from ninja import Router

router = Router(tags=["api"])
