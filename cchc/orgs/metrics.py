"""Metrics published by the unit tree (registered with cchc.metrics at start-up)."""
