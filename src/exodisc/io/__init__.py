"""Readers: instrument export -> tidy table (one sub-package per kind of instrument)."""
