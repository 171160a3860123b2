"""Lab-assay analyses on tidy readouts."""

__all__: list[str] = []
