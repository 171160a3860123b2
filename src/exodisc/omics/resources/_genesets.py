"""Gene-set collections: one frozen object, read once, used by ORA and GSEA."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from scipy import sparse

__all__ = ["GeneSets"]


@dataclass(frozen=True)
class GeneSets:
    """A named collection of gene sets (GO terms, pathways, hallmarks).

    Attributes
    ----------
    sets
        Term id -> tuple of member gene identifiers (unique, in file order).
    descriptions
        Term id -> description (GMT column 2, GO term name); may be empty.
    source
        Where the collection came from (file path or resource name/version).
    id_type
        Identifier type of the members: ``"symbol"``, ``"entrez"``, ``"ensembl"`` or ``"unknown"``.
    """

    sets: Mapping[str, tuple[str, ...]]
    descriptions: Mapping[str, str] = field(default_factory=dict)
    source: str = ""
    id_type: str = "unknown"
    _cache: dict[tuple[str, ...], sparse.csr_matrix] = field(
        default_factory=dict, repr=False, compare=False
    )
    _index_cache: dict[tuple[str, ...], dict[str, int]] = field(
        default_factory=dict, repr=False, compare=False
    )
    _genes_cache: dict[tuple[str, ...], tuple[str, ...]] = field(
        default_factory=dict, repr=False, compare=False
    )

    @classmethod
    def from_mapping(
        cls,
        sets: Mapping[str, Iterable[str]],
        *,
        descriptions: Mapping[str, str] | None = None,
        source: str = "",
        id_type: str = "unknown",
    ) -> GeneSets:
        """Build a collection from ``{term: genes}`` (duplicates within a set are removed)."""
        clean = {str(k): tuple(dict.fromkeys(str(g) for g in v)) for k, v in sets.items()}
        return cls(clean, dict(descriptions or {}), source, id_type)

    def __len__(self) -> int:
        return len(self.sets)

    @property
    def terms(self) -> list[str]:
        return list(self.sets)

    @property
    def genes(self) -> list[str]:
        """Every member gene, sorted."""
        return list(self.genes_sorted())

    def genes_sorted(self) -> tuple[str, ...]:
        """Every member gene, sorted (computed once)."""
        key = ("__genes__",)
        hit = self._genes_cache.get(key)
        if hit is None:
            hit = tuple(sorted({g for v in self.sets.values() for g in v}))
            self._genes_cache[key] = hit
        return hit

    def membership(self, universe: list[str] | tuple[str, ...]) -> sparse.csr_matrix:
        """Sparse 0/1 matrix terms x ``universe`` (genes outside ``universe`` are ignored)."""
        from scipy import sparse

        key = tuple(universe)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        index = {g: i for i, g in enumerate(universe)}
        rows: list[int] = []
        cols: list[int] = []
        for r, genes in enumerate(self.sets.values()):
            for g in genes:
                j = index.get(g)
                if j is not None:
                    rows.append(r)
                    cols.append(j)
        data = np.ones(len(rows), dtype=np.float64)
        matrix = sparse.csr_matrix(
            (data, (rows, cols)), shape=(len(self.sets), len(universe)), dtype=np.float64
        )
        self._cache.clear()  # keep one universe: memory stays bounded
        self._cache[key] = matrix
        return matrix

    def set_sizes(self, universe: tuple[str, ...]) -> np.ndarray:
        """Members of each set inside ``universe``."""
        m = self.membership(universe)
        return np.diff(m.indptr).astype(np.int64)

    def index_of(self, universe: tuple[str, ...]) -> dict[str, int]:
        """Gene -> column of ``universe`` (cached for the last universe)."""
        hit = self._index_cache.get(universe)
        if hit is None:
            hit = {g: i for i, g in enumerate(universe)}
            self._index_cache.clear()
            self._index_cache[universe] = hit
        return hit

    def subset(self, terms: Iterable[str]) -> GeneSets:
        keep = [t for t in terms if t in self.sets]
        return GeneSets(
            {t: self.sets[t] for t in keep},
            {t: self.descriptions.get(t, "") for t in keep},
            self.source,
            self.id_type,
        )
