"""The one-stop desk's JSON API: procedures, dossiers and their events."""

from ninja import Router

router = Router(tags=["dossiers"])
