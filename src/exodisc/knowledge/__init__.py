"""Curated facts from the literature, as data files and a small query API."""

__all__: list[str] = []
