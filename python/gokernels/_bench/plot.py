"""Time against input size, log-log, one line per implementation: the chart of
the lz-string article, for `gokernels bench --plot` and tools/bench/report.py.

matplotlib is an optional extra (pip install gokernels[plot]); nothing here
imports it until a chart is drawn.
"""

from typing import Any, Dict, Iterable, List, Optional, Tuple

# panel title -> implementation -> [(size, seconds per call)]
Panels = Dict[str, Dict[str, List[Tuple[int, float]]]]

# tab10, then more that stay distinct: a panel can have a dozen lines
_COLORS = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    "#000000", "#b8860b", "#000080", "#006400", "#8b0000",
]  # fmt: skip

_STYLE: Dict[str, Dict[str, Any]] = {  # by group: the pure-Python versions dashed, peers dotted, gokernels solid
    "python": {"linestyle": "--", "linewidth": 1.4},
    "peer": {"linestyle": ":", "linewidth": 1.8},
    "rust": {"linestyle": "-.", "linewidth": 1.8},
    "gokernels": {"linestyle": "-", "linewidth": 2.2},
}


def missing_matplotlib() -> Optional[str]:
    """None when matplotlib can be imported, else one line saying why not."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return "matplotlib is not installed (pip install 'gokernels[plot]' or pip install matplotlib)"
    except Exception as e:  # a broken install: say so rather than crash later
        return "matplotlib cannot be imported: %s" % e
    return None


def panels_from_results(results: Iterable[Any]) -> Tuple[Panels, Dict[str, str], Dict[str, List[str]]]:
    """From `gokernels bench` results (core.Result or their JSON dicts): the
    points of each plot, each implementation's group, and the implementations
    that were missing in each plot."""
    panels: Panels = {}
    groups: Dict[str, str] = {}
    missing: Dict[str, List[str]] = {}
    for r in results:
        row = r if isinstance(r, dict) else r.__dict__
        plot = row.get("plot")
        if not plot:
            continue
        impls = panels.setdefault(plot, {})
        groups.setdefault(row["impl"], row.get("group") or "")
        if row.get("seconds"):
            impls.setdefault(row["impl"], []).append((row["size"], row["seconds"]))
        elif str(row.get("note", "")).startswith("missing") and row["impl"] not in missing.get(plot, []):
            missing.setdefault(plot, []).append(row["impl"])
    return panels, groups, missing


def draw(
    panels: Panels,
    path: str,
    title: str = "",
    groups: Optional[Dict[str, str]] = None,
    missing: Optional[Dict[str, List[str]]] = None,
    xlabel: str = "input size (characters)",
) -> int:
    """Draws one log-log panel per entry of `panels` into the PNG at path.
    Returns the number of lines drawn (0 means an empty chart)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    groups = groups or {}
    missing = missing or {}
    names = [p for p in panels if panels[p]]
    fig = Figure(figsize=(8.6 * max(len(names), 1), 5.0), dpi=110)
    FigureCanvasAgg(fig)
    lines = 0
    for k, name in enumerate(names):
        ax = fig.add_subplot(1, max(len(names), 1), k + 1)
        for i, (impl, points) in enumerate(panels[name].items()):
            points = sorted(points)
            xs = [n for n, _ in points]
            ys = [s for _, s in points]
            style: Dict[str, Any] = _STYLE.get(groups.get(impl, ""), {"linestyle": "-", "linewidth": 1.4})
            ax.plot(xs, ys, marker="o", markersize=4, label=impl, color=_COLORS[i % len(_COLORS)], **style)
            lines += 1
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel(xlabel)
        ax.set_ylabel("seconds per call (log)")
        ax.set_title(name, fontsize=10)
        ax.grid(True, which="both", alpha=0.25)
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        if missing.get(name):
            ax.text(
                0.99,
                0.01,
                "missing: " + ", ".join(missing[name]),
                transform=ax.transAxes,
                ha="right",
                va="bottom",
                fontsize=7,
                color="firebrick",
            )
    if title:
        fig.suptitle(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(path, bbox_inches="tight")
    return lines
