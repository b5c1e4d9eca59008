"""Filled in by issue 7."""

urlpatterns: list = []
