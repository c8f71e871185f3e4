"""Pictures on a handout: the cell diagram's labels and the trace plot.

The diagram itself is a template (TikZ in ``latex/diagram.tex.j2``, Mermaid in
``markdown/diagram.md.j2``) so a teacher can restyle it; this module supplies
what templates cannot do well: plain-text labels for Mermaid (which shows no
LaTeX on GitHub), pgfplots coordinates, and the SVG plot beside a Markdown file.
The SVG is deterministic: fixed hash salt, no date, no random ids.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from lstm_sym.exercises.formatting import latex_to_text, plain
from lstm_sym.handouts.content import TracePlot

# One small panel per series, in the plot's order (the cell's states, output and gates,
# as the exercises list them): series never hide each other, whatever the cell.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
MARKERS = ("o", "s", "^", "v", "D", "P", "X")  # colour-blind-safe (Okabe–Ito) + a marker each
PANELS_PER_ROW = 5

_ASCII = str.maketrans({"σ": "sigma", "−": "-", "×": "x", "⊙": "*", "·": "*", "′": "'",
                        "…": "...", "→": "->", "≈": "~", "≤": "<=", "≥": ">=", "≠": "!=",
                        "∂": "d", "ᵀ": "^T", **{chr(0x2080 + k): f"_{k}" for k in range(10)},
                        **{ch: f"^{d}" for ch, d in zip("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")},
                        "₊": "_+", "₋": "_-", "₍": "_(", "₎": ")", "₌": "_="})


def ascii_label(tex: str) -> str:
    """A formula as ASCII text, for Mermaid labels: GitHub shows them as typed, and
    pandoc's PDF engines accept them in a code block (no Unicode subscripts or σ).
    Greek letters other than σ keep their letter.

    >>> ascii_label(r"z_i = 100x_2 - 10"), ascii_label(r"\\sigma(z_f)"), ascii_label("h_{t-1}")
    ('z_i = 100x_2 - 10', 'sigma(z_f)', 'h_(t-1)')
    """
    return latex_to_text(tex).translate(_ASCII)


def number(value: float) -> str:
    """A plot coordinate: short, exact for the lecture's integers, never ``-0``.

    >>> number(7.0), number(0.9999546), number(-0.0)
    ('7', '0.999955', '0')
    """
    text = f"{float(value):.6g}"
    return "0" if text in ("-0", "0") else text


def coordinates(t: Sequence[int], values: Sequence[float]) -> str:
    """pgfplots ``coordinates {…}`` body for one series.

    >>> coordinates([1, 2], [3.0, 0.5])
    '(1,3) (2,0.5)'
    """
    return " ".join(f"({x},{number(v)})" for x, v in zip(t, values))


def panel_range(values: Sequence[float]) -> tuple[float, float]:
    """The y range of one series' panel: 0 to 1 for a gate-like series (all values in
    [0, 1]), else the values' range with a margin (and 0 in it).

    >>> panel_range([1.0, 0.0, 1.0]), panel_range([3.0, 7.0, 7.0])
    ((-0.1, 1.1), (-0.7, 7.7))
    """
    low, high = min(min(values), 0.0), max(values)
    if low >= 0 and high <= 1:
        return (-0.1, 1.1)
    pad = 0.1 * (high - low or 1)
    return (round(low - pad, 6), round(high + pad, 6))


def series_style(k: int) -> tuple[str, str]:
    """Colour and marker of the k-th series.

    >>> series_style(0), series_style(7)
    (('#0072B2', 'o'), ('#0072B2', 'o'))
    """
    return PALETTE[k % len(PALETTE)], MARKERS[k % len(MARKERS)]


def trace_svg(plot: TracePlot, xlabel: str) -> bytes:
    """The trace as an SVG: one small panel per series, each value a marker on a step
    (the state holds between time steps; nothing is interpolated).

    `xlabel` and the series labels are prose with ``$…$`` math, shown as plain text.
    Same input, same bytes.

    >>> plot = TracePlot((1, 2), {"s": (3.0, 7.0), "g": (1.0, 0.0)},
    ...                  {"s": "state $s$", "g": "a gate"})
    >>> svg = trace_svg(plot, "t")
    >>> svg.startswith(b"<?xml") and svg == trace_svg(plot, "t")
    True
    """
    # A bare Figure draws without pyplot or a GUI backend (no global state touched).
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    xlabel = plain(xlabel)
    names = list(plot.series)
    labels = {name: plain(plot.labels.get(name, name)) for name in names}
    cjk = any(ord(ch) > 0x2E80 for text in (*labels.values(), xlabel) for ch in text)
    rc = {"svg.hashsalt": "lstm_sym", "svg.fonttype": "path", "font.size": 9,
          "axes.spines.top": False, "axes.spines.right": False}
    if cjk:  # DejaVu has no CJK; fall back through Noto CJK when it is installed
        rc["font.family"] = ["DejaVu Sans", "Noto Sans CJK SC", "Noto Serif CJK SC",
                             "Droid Sans Fallback"]
    columns = min(PANELS_PER_ROW, max(1, len(names)))
    rows = -(-len(names) // columns) if names else 1
    with rc_context(rc):
        fig = Figure(figsize=(7.2, 1.9 * rows + 0.3))
        axes = fig.subplots(rows, columns, squeeze=False)
        for k, ax in enumerate(axes.flat):
            if k >= len(names):
                ax.set_visible(False)
                continue
            name = names[k]
            values = plot.series[name]
            colour, marker = series_style(k)
            ax.step(plot.t, values, where="mid", color=colour, linewidth=1.2, alpha=0.55)
            ax.plot(plot.t, values, color=colour, marker=marker, linestyle="none",
                    markersize=5)
            ax.set_title(labels[name], fontsize=9)
            ax.set_xticks(list(plot.t))
            ax.set_ylim(*panel_range(values))
            ax.grid(True, color="#dddddd", linewidth=0.6)
            if k // columns == rows - 1:
                ax.set_xlabel(xlabel)
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()
