"""``exodisc flow apoptosis`` and ``exodisc flow markers``: one table from FCS files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import typer

__all__ = ["register"]

flow_app = typer.Typer(
    name="flow",
    no_args_is_help=True,
    help="Flow cytometry from FCS files: annexin V/PI apoptosis and surface-marker panels.",
)


def _thresholds(text: str) -> tuple[float, float]:
    parts = [p.strip() for p in text.split(",")]
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        values = ()
    if len(values) != 2:
        msg = f"--thresholds must be two numbers 'ANNEXIN,PI', got {text!r}"
        raise typer.BadParameter(msg)
    return values[0], values[1]


def _compensation(no_compensation: bool, matrix: Path | None) -> Any:
    if no_compensation and matrix is not None:
        msg = "give --no-compensation or --spill-matrix, not both"
        raise typer.BadParameter(msg)
    if no_compensation:
        return "none"
    if matrix is not None:
        from exodisc.io.fcs import read_spill_matrix

        return read_spill_matrix(matrix)
    return "file"


def _write(table: Any, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    table.to_csv(tmp, sep="\t", index=False)
    tmp.replace(out)
    typer.echo(str(out))


@flow_app.command("apoptosis")
def apoptosis_cmd(
    fcs: Annotated[list[Path], typer.Argument(help="Stained FCS files (one per sample).")],
    annexin: Annotated[str, typer.Option(help="Annexin V channel ($PnN) or label ($PnS).")],
    pi: Annotated[str, typer.Option(help="PI channel ($PnN) or label ($PnS).")],
    out: Annotated[Path, typer.Option("-o", "--out", help="Output table (TSV).")],
    control: Annotated[
        Path | None, typer.Option(help="Unstained / single-stain control FCS for thresholds.")
    ] = None,
    thresholds: Annotated[
        str | None, typer.Option(help="'A,P': annexin and PI thresholds (compensated units).")
    ] = None,
    percentile: Annotated[
        float, typer.Option(help="Control percentile for the thresholds.")
    ] = 99.5,
    no_compensation: Annotated[
        bool, typer.Option("--no-compensation", help="Do not apply $SPILLOVER.")
    ] = False,
    spill_matrix: Annotated[
        Path | None, typer.Option(help="Spillover matrix file instead of $SPILLOVER.")
    ] = None,
) -> None:
    """Annexin V / PI quadrant percentages per FCS file.

    Writes sample, events, viable_pct, early_apoptotic_pct, late_apoptotic_pct, necrotic_pct,
    annexin_threshold, pi_threshold (thresholds in compensated, untransformed units).
    """
    from exodisc.assays.flow._apoptosis import APOPTOSIS_COLUMNS, analyse_apoptosis
    from exodisc.errors import naming_files
    from exodisc.io.fcs import read_fcs

    if (control is None) == (thresholds is None):
        msg = "give exactly one of --control FCS or --thresholds A,P"
        raise typer.BadParameter(msg)
    given = _thresholds(thresholds) if thresholds is not None else None
    samples = {}
    for f in fcs:
        data = read_fcs(f)
        if data.name in samples:
            msg = f"two input files are named {data.name!r}; sample names must be unique"
            raise typer.BadParameter(msg)
        samples[data.name] = data
    ctrl = read_fcs(control) if control is not None else None
    with naming_files(*fcs, control, spill_matrix):
        res = analyse_apoptosis(
            samples,
            annexin=annexin,
            pi=pi,
            control=ctrl,
            thresholds=given,
            percentile=percentile,
            compensation=_compensation(no_compensation, spill_matrix),
        )
    _write(res.table[APOPTOSIS_COLUMNS], out)


@flow_app.command("markers")
def markers_cmd(
    fcs: Annotated[Path, typer.Argument(help="Stained FCS file (the marker panel).")],
    control: Annotated[Path, typer.Option(help="Isotype or unstained control FCS.")],
    channels: Annotated[str, typer.Option(help="Comma-separated channels ($PnN) or labels.")],
    out: Annotated[Path, typer.Option("-o", "--out", help="Output table (TSV).")],
    method: Annotated[
        str, typer.Option(help="'percentile' (above the control percentile) or 'overton'.")
    ] = "percentile",
    percentile: Annotated[float, typer.Option(help="Control percentile threshold.")] = 99.5,
    no_compensation: Annotated[
        bool, typer.Option("--no-compensation", help="Do not apply $SPILLOVER.")
    ] = False,
    spill_matrix: Annotated[
        Path | None, typer.Option(help="Spillover matrix file instead of $SPILLOVER.")
    ] = None,
) -> None:
    """% positive, threshold, MFI and MFI ratio per marker against its control.

    Writes marker, channel, pct_positive, threshold, mfi, mfi_ratio.
    """
    from exodisc.assays.flow._markers import MARKER_COLUMNS, analyse_markers
    from exodisc.errors import naming_files
    from exodisc.io.fcs import read_fcs

    if method not in ("percentile", "overton"):
        msg = f"--method must be 'percentile' or 'overton', got {method!r}"
        raise typer.BadParameter(msg)
    chosen: Literal["percentile", "overton"] = "percentile" if method == "percentile" else "overton"
    names = [c.strip() for c in channels.split(",") if c.strip()]
    if not names:
        raise typer.BadParameter("--channels is empty")
    data = read_fcs(fcs)
    ctrl = read_fcs(control)
    with naming_files(fcs, control, spill_matrix):
        res = analyse_markers(
            {data.name: data},
            ctrl,
            channels=names,
            method=chosen,
            percentile=percentile,
            compensation=_compensation(no_compensation, spill_matrix),
        )
    undefined = res.table.loc[res.table["mfi_ratio"].isna(), "channel"].tolist()
    if undefined:
        typer.echo(
            f"note: mfi_ratio is empty for {undefined}: the control's MFI is <= 0 after "
            "compensation",
            err=True,
        )
    _write(res.table[MARKER_COLUMNS], out)


@flow_app.command("populations")
def populations_cmd(
    out: Annotated[Path, typer.Option("-o", "--out", help="Output table (TSV).")],
    fcs: Annotated[
        list[Path] | None, typer.Argument(help="FCS files to gate (GatingML / workspace).")
    ] = None,
    gatingml: Annotated[
        Path | None, typer.Option(help="GatingML 2.0 file to apply to the FCS files.")
    ] = None,
    workspace: Annotated[
        Path | None,
        typer.Option(help="FlowJo 10 .wsp: re-applied to the FCS files, else its stored counts."),
    ] = None,
    facsdiva: Annotated[
        Path | None, typer.Option(help="FACSDiva experiment XML export (stored counts).")
    ] = None,
) -> None:
    """Population counts from imported gating (GatingML, FlowJo workspace, FACSDiva XML).

    Writes sample, population, count, pct_parent, pct_total (pct_parent is empty for
    GatingML, whose gates are listed flat).
    """
    import pandas as pd

    from exodisc.io.fcs import (
        apply_gatingml,
        apply_workspace,
        read_facsdiva_xml,
        read_workspace_populations,
    )

    given = [x for x in (gatingml, workspace, facsdiva) if x is not None]
    if len(given) != 1:
        raise typer.BadParameter("give exactly one of --gatingml, --workspace or --facsdiva")
    files = list(fcs or [])
    cols = ["sample", "population", "count", "pct_parent", "pct_total"]
    if gatingml is not None:
        if not files:
            raise typer.BadParameter("--gatingml needs FCS files to gate")
        rows = []
        for f in files:
            members = apply_gatingml(gatingml, f)
            for gate in members.columns:
                n = int(members[gate].sum())
                rows.append(
                    {
                        "sample": Path(f).name,
                        "population": gate,
                        "count": n,
                        "pct_parent": float("nan"),
                        "pct_total": 100.0 * n / len(members),
                    }
                )
        table = pd.DataFrame(rows, columns=cols)
    elif workspace is not None:
        if files:
            table = apply_workspace(workspace, files)[cols]
        else:
            table = read_workspace_populations(workspace)[cols]
    elif facsdiva is not None:
        if files:
            raise typer.BadParameter("--facsdiva reads stored counts; give no FCS files")
        diva = read_facsdiva_xml(facsdiva)
        table = diva.assign(sample=diva["specimen"] + "/" + diva["tube"])[cols]
    else:  # unreachable: exactly one source was checked above
        raise typer.BadParameter("no gating source")
    _write(table, out)


def register(app: typer.Typer) -> None:
    """Add ``exodisc flow …`` to the command line."""
    app.add_typer(flow_app)
