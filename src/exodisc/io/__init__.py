"""Instrument-export readers: file -> tidy table (one sub-package per instrument family)."""
