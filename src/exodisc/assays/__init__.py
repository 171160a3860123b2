"""Lab-assay analyses on tidy readouts (one subpackage per assay)."""
