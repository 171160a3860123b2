"""After every assay of ``exodisc run``: qPCR vs RNA-seq fold-change agreement.

Runs whenever the study has both a qPCR assay and a differential-expression assay, whatever
their order in the study file (it runs after all assays, on their results). For every
RNA-seq comparison (test vs reference group) whose two groups were also measured by qPCR, the
qPCR log2 fold change of each target is −(mean ΔCt of the test group − mean ΔCt of the
reference group), the same contrast as DESeq2's log2FoldChange; genes measured both ways are
compared with :func:`exodisc.assays.qpcr.rnaseq_agreement`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["QpcrRnaseqAgreement", "add_qpcr_rnaseq_agreement", "qpcr_log2_fold_changes"]

from dataclasses import dataclass


@dataclass(frozen=True)
class QpcrRnaseqAgreement:
    """Agreement tables of one ``exodisc run``.

    Attributes
    ----------
    genes
        One row per comparison and gene measured both ways: ``qpcr_assay``, ``de_assay``,
        ``test``, ``reference``, ``gene``, ``log2fc_qpcr``, ``log2fc_rnaseq``, ``same_sign``.
    summary
        One row per comparison: the assays and groups, then ``n_genes``, ``sign_agreement``,
        ``pearson_r``, ``pearson_p``, ``spearman_rho``, ``spearman_p``, ``note``.
    """

    genes: pd.DataFrame
    summary: pd.DataFrame


def qpcr_log2_fold_changes(replicates: pd.DataFrame, test: str, reference: str) -> pd.DataFrame:
    """``gene``, ``log2fc``: −(mean ΔCt of ``test`` − mean ΔCt of ``reference``) per target.

    ``replicates`` is :attr:`exodisc.assays.qpcr.GroupFoldChanges.replicates` (one row per
    biological replicate and target with ``group`` and ``delta_ct``).
    """
    d = replicates[replicates["group"].isin([test, reference])]
    means = d.groupby(["target", "group"])["delta_ct"].mean().unstack("group")
    if test not in means or reference not in means:
        return pd.DataFrame({"gene": pd.Series(dtype=str), "log2fc": pd.Series(dtype=float)})
    lfc = -(means[test] - means[reference])
    return pd.DataFrame({"gene": lfc.index.astype(str), "log2fc": lfc.to_numpy(dtype=float)})


def _symbols(study: Any, assay_id: str) -> dict[str, str]:
    """Ensembl id (no version) -> symbol from the DE assay's ``annotation`` option, if any."""
    from exodisc.omics.resources import read_gene_annotation

    assay = next((a for a in study.assays if a.id == assay_id), None)
    path = (assay.options or {}).get("annotation") if assay is not None else None
    if not path:
        return {}
    ann = read_gene_annotation(study.resolve(path))
    return dict(zip(ann["ensembl"].astype(str), ann["symbol"].astype(str), strict=True))


def _rnaseq_table(table: pd.DataFrame, symbols: dict[str, str]) -> pd.DataFrame:
    from exodisc.omics.resources import strip_version

    ids = [str(i) for i in table["feature_id"]]
    gene = [symbols.get(k, i) for i, k in zip(ids, strip_version(ids), strict=True)]
    out = pd.DataFrame({"gene": gene, "log2fc": table["log2_fold_change"].to_numpy()})
    return out.drop_duplicates("gene", keep=False)  # a symbol shared by two ids: ambiguous


def add_qpcr_rnaseq_agreement(
    study: Any, report: Any, results: dict[str, Any]
) -> QpcrRnaseqAgreement | None:
    """Compare every qPCR result with every RNA-seq comparison; add a report section.

    Returns ``None`` (and adds nothing) unless the results hold both a qPCR assay and a
    differential-expression assay.
    """
    from exodisc.assays.qpcr._agreement import rnaseq_agreement
    from exodisc.assays.qpcr._groups import GroupFoldChanges
    from exodisc.errors import DesignError
    from exodisc.omics.de import Contrast, DEClassResult

    qpcr = [(k, v) for k, v in results.items() if isinstance(v, GroupFoldChanges)]
    de = [(k, v) for k, v in results.items() if isinstance(v, DEClassResult)]
    if not qpcr or not de:
        return None
    genes: list[pd.DataFrame] = []
    rows: list[dict[str, Any]] = []
    for q_id, q in qpcr:
        for d_id, d in de:
            symbols = _symbols(study, d_id)
            for res in d.results.values():
                con = res.contrast
                if not isinstance(con, Contrast):
                    continue  # a coefficient or contrast vector: no pair of groups to match
                test, ref = con.test, con.reference
                head = {"qpcr_assay": q_id, "de_assay": d_id, "test": test, "reference": ref}
                ql = qpcr_log2_fold_changes(q.replicates, test, ref)
                if ql.empty:
                    continue  # these groups were not both measured by qPCR
                try:
                    agr = rnaseq_agreement(ql, _rnaseq_table(res.table, symbols))
                except DesignError:
                    rows.append({**head, "n_genes": 0, "note": "no gene measured both ways"})
                    continue
                genes.append(agr.table.assign(**head))
                stat: dict[str, Any] = {str(k): v for k, v in agr.summary.iloc[0].items()}
                rows.append({**head, **stat})
    if not rows:
        return None
    cols = ["qpcr_assay", "de_assay", "test", "reference"]
    gene_table = (
        pd.concat(genes, ignore_index=True)[
            [*cols, "gene", "log2fc_qpcr", "log2fc_rnaseq", "same_sign"]
        ]
        if genes
        else pd.DataFrame(columns=[*cols, "gene", "log2fc_qpcr", "log2fc_rnaseq", "same_sign"])
    )
    stat_cols = ["n_genes", "sign_agreement", "pearson_r", "pearson_p", "spearman_rho"]
    summary = pd.DataFrame(rows).reindex(columns=[*cols, *stat_cols, "spearman_p", "note"])
    summary["note"] = summary["note"].fillna("")
    result = QpcrRnaseqAgreement(gene_table, summary)

    sec = report.add_section("qpcr_rnaseq_agreement", "qPCR vs RNA-seq agreement")
    label = study.group_label
    lines = []
    for r in summary.to_dict("records"):
        if r["n_genes"]:
            pr = float(r["pearson_r"])
            corr = "" if pr != pr else f", Pearson r = {pr:.2f}"
            lines.append(
                f"{label(r['test'])} vs {label(r['reference'])} ({r['de_assay']}): "
                f"{int(r['n_genes'])} gene(s), same direction in "
                f"{100 * float(r['sign_agreement']):.0f} %{corr}"
            )
    sec.add_text(
        "Log2 fold changes of the genes measured by both RT-qPCR (−ΔΔCt of the group means) "
        "and RNA-seq (DESeq2), per comparison. " + "; ".join(lines) + "."
    )
    sec.add_table(
        "qpcr_rnaseq_agreement", summary, caption="Agreement of qPCR and RNA-seq per comparison"
    )
    sec.add_table(
        "qpcr_rnaseq_agreement_genes",
        gene_table,
        caption="qPCR and RNA-seq log2 fold changes of the genes measured both ways",
    )
    sec.add_method("qpcr.rnaseq_agreement", n_comparisons=int((summary["n_genes"] > 0).sum()))
    return result
