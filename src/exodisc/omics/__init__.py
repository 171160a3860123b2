"""Omics analyses: differential expression, enrichment, ceRNA networks, resources."""

__all__: list[str] = []
