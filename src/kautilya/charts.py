"""Charts of a report (``analytics.Report``) as PNG files, drawn by matplotlib without a display."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .analytics import Report, next_period

QUAD_COLOURS = {1: "#9ecae1", 2: "#3182bd", 3: "#fdae6b", 4: "#de2d26"}
QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}


def plot_report(report: Report, path: str | Path, title: str | None = None, label_third_parties: int = 6,
                label_lowest: int = 2) -> Path:
    """Draw event clusters by QuadClass, the Goldstein sum and the escalation index per period.

    The ``label_third_parties`` periods with the most third-party activity are labelled with who
    did what, and the ``label_lowest`` periods with the lowest Goldstein sums with their sum.
    Returns the path written.
    """
    import matplotlib

    matplotlib.use("Agg")  # files only: no display, no GUI toolkit
    import matplotlib.pyplot as plt

    periods = report.periods
    starts = [p.start for p in periods]
    width = [(next_period(p.start, report.by) - p.start).days * 0.8 for p in periods]
    fig, (counts, tone, escalation) = plt.subplots(3, 1, figsize=(12, 8), sharex=True,
                                                   gridspec_kw={"height_ratios": [1, 1, 0.7]})
    bottom = [0] * len(periods)
    for quad in (1, 2, 3, 4):
        values = [p.quad[quad] for p in periods]
        counts.bar(starts, values, width=width, bottom=bottom, color=QUAD_COLOURS[quad], label=QUAD_NAMES[quad],
                   align="edge")
        bottom = [b + v for b, v in zip(bottom, values)]
    counts.set_ylabel("event clusters")
    counts.legend(loc="upper right", fontsize=8, ncols=2)
    busiest = sorted((p for p in periods if p.third_parties),
                     key=lambda p: (-sum(t.clusters for t in p.third_parties), p.start))[:label_third_parties]
    for p in busiest:
        text = "\n".join(f"{t.party} {t.action} {'+'.join(t.targets)}" for t in p.third_parties[:3])
        counts.annotate(text, (p.start, bottom[periods.index(p)]), xytext=(0, 4), textcoords="offset points",
                        fontsize=7, ha="left", va="bottom", color="#333333")
    counts.set_ylim(0, max(bottom + [1]) * 1.6)

    sums = [p.goldstein_sum for p in periods]
    tone.bar(starts, sums, width=width, align="edge", color=["#de2d26" if s < 0 else "#3182bd" for s in sums])
    tone.axhline(0, color="black", linewidth=0.6)
    tone.set_ylabel("Goldstein sum")
    for p in sorted((p for p in periods if p.goldstein_sum < 0), key=lambda p: (p.goldstein_sum, p.start))[:label_lowest]:
        when = {"week": f"week of {p.start:%d %b}", "month": f"{p.start:%b %Y}"}.get(report.by, f"{p.start:%d %b}")
        tone.annotate(f"{when}: {p.goldstein_sum:+.0f}", (p.start, p.goldstein_sum), xytext=(6, 0),
                      textcoords="offset points", fontsize=8, va="bottom")
    low = min(sums + [0])
    tone.set_ylim(low * 1.15 - 1, max(sums + [0]) * 1.15 + 1)

    escalation.plot([s + dt.timedelta(days=w / 2) for s, w in zip(starts, width)], [p.escalation for p in periods],
                    color="black", linewidth=1, marker=".", markersize=3)
    escalation.axhline(0, color="grey", linewidth=0.5, linestyle=":")
    escalation.set_ylabel("escalation index")
    fig.suptitle(title or f"{report.subject}: events per {report.by}")
    fig.autofmt_xdate()
    fig.tight_layout()
    out = Path(path)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out
