"""Deterministic demo data: a fictional Indonesian contact centre written in the real landing formats."""
