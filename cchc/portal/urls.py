"""The public pages (no sign-in): procedures, dossier status."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
