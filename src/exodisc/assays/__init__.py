"""Lab-assay analyses on tidy readouts (one sub-package per assay family)."""
