"""Omics analyses: differential expression, enrichment, ceRNA networks and their resources."""

__all__: list[str] = []
