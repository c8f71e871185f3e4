"""The trace plot: the SVG beside the Markdown and the TikZ of the LaTeX sheet are drawn
from one geometry. Positions are checked against values mapped here, by the documented
rule (a panel per series; x from t₀ − ½ to tₙ + ½; y over 0..1 widened by 0.1 for a
gate-like series, else over the values and 0 widened by 10 % of the span)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from lstm_sym.handouts.content import Section, TracePlot, Worksheet
from lstm_sym.handouts.pictures import trace_svg
from lstm_sym.handouts.render import render

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"
PLOT = TracePlot((1, 2, 3, 4, 5),
                 {"c": (3.0, 7.0, 6.99977, 6.9995, 0.0), "y": (0.0, -2.5, 0.0, 7.0, 0.0),
                  "i": (1.0, 1.0, 4.5e-05, 4.5e-05, 0.0), "f": (1.0, 1.0, 1.0, 1.0, 0.0),
                  "o": (0.0, 0.0, 0.0, 1.0, 0.0), "u": (0.5, 0.25, 0.125, 0.0, 1.0)},
                 {"c": "memory $c$", "y": "output <y> & more", "i": "输入门 i", "f": "f",
                  "o": "o", "u": "u"})


def expected_range(values):
    """The panel's y range, written again from the rule (not from the product)."""
    if all(0 <= v <= 1 for v in values):
        return -0.1, 1.1
    low, high = min(0.0, *values), max(0.0, *values)
    return low - 0.1 * (high - low), high + 0.1 * (high - low)


def svg_panels(svg: bytes):
    """Each panel of the SVG: its box (left, top, right, bottom) read from the axes
    path, its marker centres, its tick labels, its title."""
    root = ET.fromstring(svg)
    panels = []
    for g in root.iter(f"{SVG}g"):
        if g.get("class") != "panel":
            continue
        axes = next(p for p in g.iter(f"{SVG}path") if p.get("class") == "axes").get("d")
        left, top, bottom, right = map(float, re.match(r"M([\d.]+) ([\d.]+)V([\d.]+)H([\d.]+)", axes).groups())
        markers = [(float(u.get("x")), float(u.get("y"))) for u in g.iter(f"{SVG}use")]
        texts = [(t.get("class"), t.get("text-anchor"), float(t.get("x")), float(t.get("y")),
                  float(t.get("font-size")), t.text) for t in g.iter(f"{SVG}text")]
        panels.append(((left, top, right, bottom), markers, texts))
    return root, panels


def test_svg_has_a_marker_per_value_where_the_value_is():
    root, panels = svg_panels(trace_svg(PLOT, "time step $t$"))
    assert root.tag == f"{SVG}svg" and len(panels) == len(PLOT.series)
    for ((left, top, right, bottom), markers, _), values in zip(panels, PLOT.series.values()):
        low, high = expected_range(values)
        assert len(markers) == len(values)
        for (x, y), t, v in zip(markers, PLOT.t, values):
            assert x == pytest.approx(left + (t - 0.5) / 5 * (right - left), abs=2e-3)
            assert y == pytest.approx(bottom - (v - low) / (high - low) * (bottom - top), abs=2e-3)


def test_svg_ticks_label_their_own_positions():
    """A y tick's label sits beside the height of its value; an x tick's under its step."""
    _, panels = svg_panels(trace_svg(PLOT, "t"))
    for ((left, top, right, bottom), markers, texts), values in zip(panels, PLOT.series.values()):
        low, high = expected_range(values)
        y_labels = [t for t in texts if t[1] == "end"]
        assert len(y_labels) >= 2
        for _, _, x, y, size, text in y_labels:
            value = float(text.replace("\u2212", "-"))
            assert low <= value <= high and x < left
            assert y - 0.35 * size == pytest.approx(bottom - (value - low) / (high - low) * (bottom - top), abs=2e-3)
        x_labels = [t for t in texts if t[1] == "middle" and t[0] is None]
        assert [t[5] for t in x_labels] == [str(t) for t in PLOT.t]
        assert [t[2] for t in x_labels] == [m[0] for m in markers]


def test_svg_text_is_escaped_plain_text_in_any_script():
    svg = trace_svg(PLOT, "time step $t$")
    root, panels = svg_panels(svg)
    titles = [next(t[5] for t in texts if t[0] == "title") for _, _, texts in panels]
    assert titles[:3] == ["memory c", "output <y> & more", "输入门 i"]
    assert b"&lt;y&gt; &amp; more" in svg and b"$" not in svg
    assert "Noto Sans CJK SC" in next(root.iter(f"{SVG}g")).get("font-family")
    xlabels = [t[5] for _, _, texts in panels for t in texts if t[0] == "xlabel"]
    assert xlabels == ["time step t"] * 5  # the bottom row, and the panel above its empty cells


def test_svg_is_the_same_bytes_every_time_and_draws_each_shape_once():
    svg = trace_svg(PLOT, "t")
    assert svg == trace_svg(PLOT, "t")
    root = ET.fromstring(svg)
    shapes = [e.get("id") for e in next(root.iter(f"{SVG}defs"))]
    assert shapes == ["mark-circle", "mark-square", "mark-up", "mark-down", "mark-diamond", "mark-plus"]
    used = {u.get(XLINK) for u in root.iter(f"{SVG}use")}
    assert used == {f"#{name}" for name in shapes}


_CM = r"\{([-\d.]+)cm\}"


def tikz_markers(tex: str) -> list[tuple[float, float]]:
    """Each marker's centre in the LaTeX: a circle's, or its polygon's corners averaged
    (every shape is symmetric about its centre)."""
    centres = []
    for circle, polygon in re.findall(r"\\pgfpathcircle\{\\pgfqpoint(\{[^}]*\}\{[^}]*\})\}|"
                                      r"(\\pgfpathqmoveto.*?)\\pgfpathclose", tex):
        corners = [(float(x), float(y)) for x, y in re.findall(_CM + _CM, circle or polygon)]
        centres.append((sum(x for x, _ in corners) / len(corners), sum(y for _, y in corners) / len(corners)))
    return centres


def test_tikz_draws_the_same_markers_as_the_svg():
    ws = Worksheet("T", "en", "solutions", (Section("trace", "Trace", plot=PLOT),))
    tex = render(ws, "tex")
    assert "pgfplots" not in tex and "\\begin{axis}" not in tex
    markers = tikz_markers(tex)
    assert len(markers) == sum(len(v) for v in PLOT.series.values()) == tex.count("\\pgfusepathqfill")
    root, panels = svg_panels(trace_svg(PLOT, "t"))
    height = float(root.get("viewBox").split()[3])
    flipped = [(x, height - y) for _, ms, _ in panels for x, y in ms]
    assert [c for m in markers for c in m] == pytest.approx([c for m in flipped for c in m], abs=1e-4)
    circles = len(PLOT.series["c"])  # the first series' marker is a circle, the others polygons
    assert tex.count("\\pgfpathcircle") == circles
    assert tex.count("\\pgfpathclose") == len(markers) - circles
    for label in ("memory $c$}", "output \\textless{}y\\textgreater{} \\& more}", "输入门 i}"):
        assert f"\\tracetitles {label}" in tex


def test_latex_step_lines_and_ticks_are_the_svgs():
    """The step line of each panel and the y ticks' labels, read from both pictures."""
    ws = Worksheet("T", "en", "solutions", (Section("trace", "Trace", plot=PLOT),))
    tex = render(ws, "tex")
    svg = trace_svg(PLOT, "t")
    root = ET.fromstring(svg)
    height = float(root.get("viewBox").split()[3])
    tex_steps = [[(float(x), float(y)) for x, y in re.findall(_CM + _CM, path)]
                 for path in re.findall(r"\\pgfsetstrokecolor\{tracestep\}\n(.*?)\\pgfusepathqstroke", tex)]
    svg_steps = [[(float(x), height - float(y)) for x, y in (p.split(",") for p in line.get("points").split())]
                 for line in root.iter(f"{SVG}polyline")]
    assert len(tex_steps) == len(svg_steps) == len(PLOT.series)
    for ours, theirs in zip(tex_steps, svg_steps):
        assert len(ours) == len(theirs) == 2 * len(PLOT.t)  # a level and a jump per step
        assert [c for p in ours for c in p] == pytest.approx([c for p in theirs for c in p], abs=1e-4)
    tex_ticks = re.findall(r"\\pgftext\[base,right,at=\{\\pgfqpoint\{[-\d.]+cm\}\{[-\d.]+cm\}\}\]"
                           r"\{\\traceticks \$([^$]*)\$\}", tex)
    svg_ticks = [t.text.replace("\u2212", "-") for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    assert tex_ticks == svg_ticks and len(tex_ticks) >= 2 * len(PLOT.series)
