"""Metrics: reporting periods (`periods`) and the registry every app publishes into
(`registry`). Values are computed on demand in the database, never cached."""
