"""Build the human resources shipped inside the package (src/exodisc/omics/resources/data/).

Run from the repository root on a machine with ../shared/data and Debian's r-bioc-go.db and
r-bioc-org.hs.eg.db installed:

    PYTHONPATH=src python tests/reference/resources/build_shipped.py [SHARED_DATA_DIR]

Every output is gzip-compressed with a zero mtime (byte-reproducible); MANIFEST.json records
each file's version, licence, source, size and sha256. Nothing here downloads anything.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sqlite3
import sys
from collections import defaultdict
from pathlib import Path

import pandas as pd

OUT = Path("src/exodisc/omics/resources/data")
ORG = Path("/usr/lib/R/site-library/org.Hs.eg.db/extdata/org.Hs.eg.sqlite")
GODB = Path("/usr/lib/R/site-library/GO.db/extdata/GO.sqlite")


def _gz(path: Path, text: str) -> None:
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as fh:
        fh.write(text.encode("utf-8"))


def _gmt(sets: dict[str, tuple[str, list[str]]]) -> str:
    return "".join(
        "\t".join([term, desc, *genes]) + "\n" for term, (desc, genes) in sorted(sets.items())
    )


def _lines(path: Path) -> list[str]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return fh.read().splitlines()


def _bioc_version(sqlite: Path) -> str:
    for line in (sqlite.parent.parent / "DESCRIPTION").read_text().splitlines():
        if line.startswith("Version:"):
            return line.split(":", 1)[1].strip()
    raise SystemExit(f"no Version in {sqlite.parent.parent / 'DESCRIPTION'}")


def build(shared: Path) -> list[dict[str, object]]:
    OUT.mkdir(parents=True, exist_ok=True)
    entries: list[dict[str, object]] = []
    org = sqlite3.connect(f"file:{ORG}?mode=ro", uri=True)
    meta = dict(org.execute("SELECT name, value FROM metadata"))
    go = sqlite3.connect(f"file:{GODB}?mode=ro", uri=True)
    names = dict(go.execute("SELECT go_id, term FROM go_term"))
    org_v, go_v = _bioc_version(ORG), _bioc_version(GODB)
    go_version = f"GO {meta['GOSOURCEDATE']}; Entrez Gene {meta['GOEGSOURCEDATE']}"

    # --- GO BP / MF / CC: org.Hs.eg.db's GOALL (annotations propagated along GO.db's DAG)
    for ont, label in (
        ("bp", "biological process"),
        ("mf", "molecular function"),
        ("cc", "cellular component"),
    ):
        sets: dict[str, set[str]] = defaultdict(set)
        for sym, term in org.execute(
            f"SELECT i.symbol, a.go_id FROM go_{ont}_all a JOIN gene_info i USING (_id)"
        ):
            sets[term].add(sym)
        text = _gmt({t: (names.get(t, ""), sorted(g)) for t, g in sets.items()})
        fname = f"go_{ont}.gmt.gz"
        _gz(OUT / fname, text)
        entries.append(
            {
                "name": f"go_{ont}",
                "version": go_version,
                "kind": "gmt",
                "file": fname,
                "id_type": "symbol",
                "licence": "CC BY 4.0 (Gene Ontology Consortium; NCBI gene2go); built from "
                f"Bioconductor org.Hs.eg.db {org_v} and GO.db {go_v} (Artistic-2.0)",
                "source": f"org.Hs.eg.db {org_v} go_{ont}_all (GOALL) + GO.db {go_v} term names, "
                "Debian r-bioc-org.hs.eg.db / r-bioc-go.db",
                "description": f"GO {label}: {len(sets):,} terms, human gene symbols, every "
                "annotation propagated to ancestor terms as clusterProfiler::enrichGO uses them",
            }
        )

    # --- Reactome (CC0), as committed by markziemann/vpa-senescence in Oct 2021
    src = shared / "gene_sets" / "ReactomePathways_markziemann_2021.gmt.gz"
    _gz(OUT / "reactome.gmt.gz", "\n".join(_lines(src)) + "\n")
    entries.append(
        {
            "name": "reactome",
            "version": "2021-10",
            "kind": "gmt",
            "file": "reactome.gmt.gz",
            "id_type": "symbol",
            "licence": "CC0 1.0 (Reactome annotation files); copy from "
            "markziemann/vpa-senescence (MIT)",
            "source": "Reactome ReactomePathways.gmt as committed in markziemann/vpa-senescence "
            "a36fe56e72ca65276969b5ac47889ccb938ddbd0 (2021-10-11); spaces in names were "
            "replaced by '-' upstream",
            "description": "Reactome human pathways, 2,504 pathways, gene symbols",
        }
    )

    # --- WikiPathways 2018-08-10 (CC0): Entrez IDs -> symbols through org.Hs.eg.db
    sym = dict(org.execute("SELECT g.gene_id, i.symbol FROM genes g JOIN gene_info i USING (_id)"))
    wp: dict[str, tuple[str, list[str]]] = {}
    dropped = 0
    for line in _lines(shared / "gene_sets" / "wikipathways-20180810-gmt-Homo_sapiens.gmt.gz"):
        f = line.split("\t")
        genes = [sym[g] for g in f[2:] if g in sym]
        dropped += sum(g not in sym for g in f[2:])
        if genes:
            wp[f[0]] = (f[1], sorted(set(genes)))
    _gz(OUT / "wikipathways.gmt.gz", _gmt(wp))
    entries.append(
        {
            "name": "wikipathways",
            "version": "20180810",
            "kind": "gmt",
            "file": "wikipathways.gmt.gz",
            "id_type": "symbol",
            "licence": "CC0 1.0 (WikiPathways); file from clusterProfiler (Artistic-2.0)",
            "source": "wikipathways-20180810-gmt-Homo_sapiens.gmt (clusterProfiler inst/extdata, "
            f"ca9f281ef3946a76f43de97a2d0fef39d93ff079); Entrez IDs mapped to symbols with "
            f"org.Hs.eg.db {org_v} ({dropped} retired IDs left out)",
            "description": f"WikiPathways human, {len(wp)} pathways, gene symbols",
        }
    )

    # --- MSigDB Hallmark v7.0 (CC BY 4.0 for MSigDB v6.0-v7.5.1)
    src = shared / "gene_sets" / "h.all.v7.0.symbols.gmt.gz"
    _gz(OUT / "msigdb_hallmark.gmt.gz", "\n".join(_lines(src)) + "\n")
    entries.append(
        {
            "name": "msigdb_hallmark",
            "version": "7.0",
            "kind": "gmt",
            "file": "msigdb_hallmark.gmt.gz",
            "id_type": "symbol",
            "licence": "CC BY 4.0 (MSigDB v6.0-v7.5.1 terms; Liberzon et al. 2015); file from "
            "GSEApy (BSD-3-Clause)",
            "source": "h.all.v7.0.symbols.gmt, zqfang/GSEApy tests/extdata at "
            "8611014ddbde0117dc0d1f0422c9846ac94a6a41",
            "description": "MSigDB Hallmark gene sets, 50 sets, gene symbols",
        }
    )

    # --- gene ID / symbol / Entrez / biotype map (GDCRNATools' bundled Ensembl annotation)
    src = shared / "gene_annotation" / "gdcrnatools_gencode_biotype.tsv.gz"
    _gz(OUT / "gene_map.tsv.gz", "\n".join(_lines(src)) + "\n")
    entries.append(
        {
            "name": "gene_map",
            "version": "GDCRNATools-2018-01-25",
            "kind": "id_map",
            "file": "gene_map.tsv.gz",
            "id_type": "ensembl",
            "licence": "Artistic-2.0 (Bioconductor GDCRNATools); Ensembl/GENCODE data carry no "
            "use restriction",
            "source": "GDCRNATools R/sysdata.rda object 'biotype' (rli012/GDCRNATools "
            "3b67f22d066e0e5eb238c9cc80f1ffd21ba4f67a); the Ensembl release is not stated upstream",
            "description": "60,616 human genes: ensemblID, geneSymbol, entrezgene, biotype, group",
        }
    )

    # --- miRBase 22 human mature miRNAs (from miRBase's hsa.gff3, GRCh38)
    gff = shared / "sequencing" / "mirbase22_hsa_gff" / "hsa.gff3"
    prec: dict[str, str] = {}
    rows: dict[str, tuple[str, str]] = {}
    for line in _lines(gff):
        if line.startswith("#") or not line.strip():
            continue
        f = line.split("\t")
        attrs = dict(kv.split("=", 1) for kv in f[8].split(";") if "=" in kv)
        if f[2] == "miRNA_primary_transcript":
            prec[attrs["ID"]] = attrs["Name"]
        elif f[2] == "miRNA":
            rows.setdefault(attrs["ID"].split("_")[0], (attrs["Name"], attrs["Derives_from"]))
    text = "mimat_accession\tmature_name\tprecursor_accession\tprecursor_name\n" + "".join(
        f"{acc}\t{name}\t{mi}\t{prec.get(mi, '')}\n" for acc, (name, mi) in sorted(rows.items())
    )
    _gz(OUT / "mirbase.tsv.gz", text)
    entries.append(
        {
            "name": "mirbase",
            "version": "22",
            "kind": "table",
            "file": "mirbase.tsv.gz",
            "id_type": "mirna",
            "licence": "public domain: miRBase's LICENSE reads 'miRBase is in the public domain. "
            "It is not copyrighted. You may freely modify, redistribute, or use it for any "
            "purpose.'; copied unmodified from a miRBase download committed in BELEN-M/TFM",
            "source": "miRBase 22 hsa.gff3 (GRCh38, 2018-3-5), BELEN-M/TFM "
            "420b357b662da7d2c9faeb597a583cdf682b5bee; mature names and accessions extracted",
            "description": f"miRBase 22 human mature miRNAs: {len(rows):,} names with MIMAT "
            "accession and precursor",
        }
    )

    # --- miRNA-target interactions as Bioconductor's GDCRNATools redistributes them. Only the
    # starBase (CLIP-supported) and spongeScan rows ship; miRTarBase's rows stay out (its
    # licence is academic use free of charge, with no grant of redistribution: `exodisc
    # resources fetch mirtarbase` downloads it) and so do the miRcode predictions.
    mrna = pd.read_csv(
        shared / "mirna_targets" / "gdcrnatools_mRNA_miRNA_interactions.tsv.gz", sep="\t", dtype=str
    )
    lnc = pd.read_csv(
        shared / "mirna_targets" / "gdcrnatools_lncRNA_miRNA_interactions.tsv.gz",
        sep="\t",
        dtype=str,
    )
    keep = pd.concat(
        [
            mrna[mrna["database"] == "starBase"].assign(target_class="mRNA"),
            lnc[lnc["database"].isin(["starBase", "spongeScan"])].assign(target_class="lncRNA"),
        ]
    )
    keep = keep.drop_duplicates().sort_values(
        ["target_class", "database", "ensembl_gene_id", "mirna"]
    )
    _gz(OUT / "mirna_targets.tsv.gz", keep.to_csv(sep="\t", index=False, lineterminator="\n"))
    counts = keep.groupby(["target_class", "database"]).size()
    entries.append(
        {
            "name": "mirna_targets",
            "version": "GDCRNATools-1.21.1",
            "kind": "targets",
            "file": "mirna_targets.tsv.gz",
            "id_type": "ensembl",
            "licence": "Artistic-2.0 as redistributed in Bioconductor's GDCRNATools; upstream "
            "starBase/ENCORI and spongeScan terms apply to their content (no licence text found "
            "that restricts them). miRTarBase rows are not shipped (academic use only, "
            "redistribution not granted): 'exodisc resources fetch mirtarbase' downloads them",
            "source": "GDCRNATools R/sysdata.rda pcTargets (starBase rows) and lncTargets "
            "(starBase, spongeScan), flattened; the miRTarBase rows of pcTargets and the miRcode "
            "predictions are left out",
            "description": "human miRNA-target interactions: "
            + "; ".join(f"{cls} {db} {n:,}" for (cls, db), n in counts.items())
            + " (database, ensembl_gene_id, mirna, target_class)",
        }
    )

    # --- circRNA-miRNA binding sites of one public circRNA set (pycircdb, GPL-3.0)
    src = shared / "mirna_targets" / "pycircdb_vromann_circRNA_miRNA_hits_hg38.tsv.gz"
    _gz(OUT / "circrna_mirna_hits.tsv.gz", "\n".join(_lines(src)) + "\n")
    entries.append(
        {
            "name": "circrna_mirna_hits",
            "version": "pycircdb-8d84665",
            "kind": "targets",
            "file": "circrna_mirna_hits.tsv.gz",
            "id_type": "circrna",
            "licence": "GPL-3.0 (BarryDigby/pycircdb results)",
            "source": "pycircdb results/vromann/hg38_chr*_mirna_hits.txt.gz at "
            "8d84665f70620e8f63c5de2161bf62bba0f55414 (TargetScan/miRanda sites, 769 circRNAs)",
            "description": "circRNA-miRNA binding sites (hg38 back-splice coordinates) of the "
            "pycircdb 'vromann' circRNA set; used by the example study",
        }
    )

    for e in entries:
        data = (OUT / str(e["file"])).read_bytes()
        e["bytes"] = len(data)
        e["sha256"] = hashlib.sha256(data).hexdigest()
    manifest = {"format": 1, "resources": entries}
    (OUT / "MANIFEST.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return entries


if __name__ == "__main__":
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data")
    for e in build(shared):
        print(f"{e['name']:<20} {e['bytes']:>9,}  {e['sha256'][:12]}  {e['version']}")
