"""The participation bar chart of the report, as a PNG picture."""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
from matplotlib import pyplot as plt  # noqa: E402


def bar_chart(labels: list[str], values: list[float], out: Path, *, x_title: str) -> Path:
    """A horizontal bar chart (one bar per label, top to bottom in the given order)."""
    height = max(2.5, 0.32 * len(labels) + 1.0)
    fig, ax = plt.subplots(figsize=(6.5, height), dpi=150)
    try:
        positions = range(len(labels))
        ax.barh(list(positions), values, color="#1f4e79")
        ax.set_yticks(list(positions), labels, fontsize=8, fontfamily="serif")
        ax.invert_yaxis()
        ax.set_xlabel(x_title, fontsize=9, fontfamily="serif")
        ax.tick_params(axis="x", labelsize=8)
        for p, v in zip(positions, values):
            ax.text(v, p, f" {v:,.0f}".replace(",", "."), va="center", fontsize=7)
        ax.spines[["top", "right"]].set_visible(False)
        fig.tight_layout()
        fig.savefig(out, format="png")
    finally:
        plt.close(fig)
    return Path(out)
