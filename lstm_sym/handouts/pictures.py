"""Pictures on a handout: the cell diagram's labels and the trace plot's SVG.

The diagram itself is a template (TikZ in ``latex/diagram.tex.j2``, Mermaid in
``markdown/diagram.md.j2``) so a teacher can restyle it; this module supplies
what templates cannot do well: plain-text labels for Mermaid (which shows no
LaTeX on GitHub) and the SVG plot beside a Markdown file. The SVG is written as
text from :mod:`lstm_sym.handouts.trace_geometry`, the geometry the LaTeX plot
draws too: same input, same bytes (no date, no random ids).
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from lstm_sym.exercises.formatting import latex_to_text, plain
from lstm_sym.handouts.content import TracePlot
from lstm_sym.handouts.trace_geometry import (  # noqa: F401  (the plot's style, re-exported)
    MARKERS,
    PALETTE,
    PANELS_PER_ROW,
    Panel,
    TraceGeometry,
    cm_text,
    number,
    panel_range,
    series_style,
    trace_geometry,
)

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


PX_PER_CM = 40  # the SVG's size on screen: 16.6 cm wide → 664 px
# DejaVu has no CJK glyphs; the viewer falls through to the first CJK font it has.
FONTS = ("DejaVu Sans, Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, PingFang SC, "
         "Microsoft YaHei, WenQuanYi Micro Hei, Droid Sans Fallback, sans-serif")


_n = cm_text


def _minus(text: str) -> str:
    return text.replace("-", "\u2212")


def _svg_panel(panel: Panel, height: float, title: str, xlabel: str, geometry: TraceGeometry) -> list[str]:
    """One panel's elements; y is flipped (SVG's y grows downwards)."""
    left, bottom, width, box_height = panel.box
    top, base = height - bottom - box_height, height - bottom
    right = left + width
    out = [f'<g class="panel" id="panel-{panel.index}">']
    grid = "".join(f"M{_n(left)} {_n(height - tick.at)}H{_n(right)}" for tick in panel.y_ticks)
    grid += "".join(f"M{_n(tick.at)} {_n(top)}V{_n(base)}" for tick in panel.x_ticks)
    out.append(f'<path class="grid" d="{grid}" stroke="{geometry.grid_colour}" '
               f'stroke-width="{_n(geometry.grid_width)}" fill="none"/>')
    length = _n(geometry.tick_length)
    ticks = "".join(f"M{_n(left)} {_n(height - tick.at)}h-{length}" for tick in panel.y_ticks)
    ticks += "".join(f"M{_n(tick.at)} {_n(base)}v{length}" for tick in panel.x_ticks)
    out.append(f'<path class="axes" d="M{_n(left)} {_n(top)}V{_n(base)}H{_n(right)}{ticks}" '
               f'stroke="{geometry.axis_colour}" stroke-width="{_n(geometry.axis_width)}" fill="none"/>')
    size = _n(geometry.tick_size)
    out += [f'<text x="{_n(t.label_at[0])}" y="{_n(height - t.label_at[1])}" font-size="{size}" '
            f'text-anchor="end">{_minus(t.text)}</text>' for t in panel.y_ticks]
    out += [f'<text x="{_n(t.label_at[0])}" y="{_n(height - t.label_at[1])}" font-size="{size}" '
            f'text-anchor="middle">{_minus(t.text)}</text>' for t in panel.x_ticks]
    steps = " ".join(f"{_n(x)},{_n(height - y)}" for x, y in panel.steps)
    out.append(f'<polyline class="steps" points="{steps}" stroke="{panel.line_colour}" '
               f'stroke-width="{_n(geometry.line_width)}" fill="none"/>')
    out.append(f'<g class="markers" fill="{panel.colour}">')
    out += [f'<use xlink:href="#mark-{panel.marker_id}" x="{_n(x)}" y="{_n(height - y)}"/>'
            for x, y in panel.markers]
    out.append("</g>")
    title_size = _n(geometry.title_size)
    out.append(f'<text class="title" x="{_n(panel.title_at[0])}" y="{_n(height - panel.title_at[1])}" '
               f'font-size="{title_size}" text-anchor="middle">{escape(title)}</text>')
    if panel.xlabel_at is not None:
        out.append(f'<text class="xlabel" x="{_n(panel.xlabel_at[0])}" y="{_n(height - panel.xlabel_at[1])}" '
                   f'font-size="{title_size}" text-anchor="middle">{escape(xlabel)}</text>')
    out.append("</g>")
    return out


def _svg_mark(marker_id: str, outline: tuple[tuple[float, float], ...], radius: float) -> str:
    """A marker's shape, centred on (0, 0), defined once and placed by ``<use>``."""
    if not outline:
        return f'<circle id="mark-{marker_id}" r="{_n(radius)}"/>'
    corners = " ".join(f"{_n(x)},{_n(-y)}" for x, y in outline)
    return f'<polygon id="mark-{marker_id}" points="{corners}"/>'


def trace_svg(plot: TracePlot, xlabel: str) -> bytes:
    """The trace as an SVG: one small panel per series, each value a marker on a step
    (the state holds between time steps; nothing is interpolated), drawn from
    :func:`~lstm_sym.handouts.trace_geometry.trace_geometry`.

    `xlabel` and the series labels are prose with ``$…$`` math, shown as plain text
    (any script: the font list falls back to CJK fonts). Same input, same bytes.

    >>> plot = TracePlot((1, 2), {"s": (3.0, 7.0), "g": (1.0, 0.0)},
    ...                  {"s": "state $s$", "g": "a gate"})
    >>> svg = trace_svg(plot, "t")
    >>> svg.startswith(b"<?xml") and svg == trace_svg(plot, "t"), svg.count(b"<use ")
    (True, 4)
    """
    geometry = trace_geometry(plot)
    xlabel = plain(xlabel)
    height = geometry.height
    marks = {p.marker: _svg_mark(p.marker_id, p.outline, geometry.mark_radius) for p in geometry.panels}
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
           f'width="{round(geometry.width * PX_PER_CM)}" height="{round(height * PX_PER_CM)}" '
           f'viewBox="0 0 {_n(geometry.width)} {_n(height)}">',
           f"<defs>{''.join(marks.values())}</defs>",
           '<rect width="100%" height="100%" fill="#FFFFFF"/>',
           f'<g font-family={quoteattr(FONTS)} fill="#000000">']
    for panel in geometry.panels:
        title = plain(str(plot.labels.get(panel.name, panel.name)))
        out += _svg_panel(panel, height, title, xlabel, geometry)
    out += ["</g>", "</svg>", ""]
    return "\n".join(out).encode("utf-8")
