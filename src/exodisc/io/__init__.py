"""Readers only: instrument export -> tidy DataFrame (one subpackage per instrument family)."""
