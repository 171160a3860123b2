"""Readers only: file -> tidy DataFrame; one module per instrument export."""

__all__: list[str] = []
