"""The board report as a PDF (A4), drawn with ReportLab: the same blocks as the HTML file.

ReportLab is pure Python and needs nothing fetched at run time. Latin text is set in
Helvetica; Japanese (and any text outside Windows-1252, such as ₩) in the Adobe-Japan1 CID
font HeiseiKakuGo-W5, which ReportLab knows without a font file: the PDF names the font and
every PDF reader supplies it (Acrobat and Chromium with their CJK fonts, as does Debian's
fonts-noto-cjk). The ladder chart is vector graphics, sharp at any zoom and in print.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph as Para
from reportlab.platypus import Preformatted, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Table as Grid

from optimizer.workbench.board_report import (
    Block,
    Bullets,
    Figures,
    FrontierChart,
    Heading,
    LadderChart,
    Paragraph,
    Report,
    Table,
    ticks,
)

CJK_FONT = "HeiseiKakuGo-W5"
LATIN_FONT = "Helvetica"
_WIDTH = A4[0] - 30 * mm


def _font(text: str, language: str) -> str:
    """The font that can set ``text``: the CJK font for Japanese or anything outside cp1252."""
    if language == "ja":
        return CJK_FONT
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return CJK_FONT
    return LATIN_FONT


def _para(text: str, language: str, size: float = 9.5, bold: bool = False, leading: float | None = None) -> Para:
    font = _font(text, language)
    if bold and font == LATIN_FONT:
        font = "Helvetica-Bold"
    style = ParagraphStyle("p", fontName=font, fontSize=size, leading=leading or size * 1.35, wordWrap="CJK")
    return Para(escape(text).replace("\n", "<br/>"), style)


def report_pdf(report: Report) -> bytes:
    """The report as PDF bytes."""
    pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                                 bottomMargin=15 * mm, title=report.title, author="reserve-opt")
    story: list[object] = [_para(report.title, report.language, size=17, bold=True), Spacer(1, 4 * mm)]
    for block in report.blocks:
        story += _flowables(block, report.language)
    document.build(story)
    return buffer.getvalue()


def _flowables(block: Block, language: str) -> list[object]:
    if isinstance(block, Heading):
        return [Spacer(1, 4 * mm), _para(block.text, language, size=12.5, bold=True), Spacer(1, 1.5 * mm)]
    if isinstance(block, Paragraph):
        if block.preformatted:
            style = ParagraphStyle("pre", fontName=_font(block.text, language), fontSize=8, leading=10)
            return [Preformatted(block.text, style), Spacer(1, 2 * mm)]
        return [_para(block.text, language), Spacer(1, 1.5 * mm)]
    if isinstance(block, Figures):
        cells = [[_para(label, language, size=8), _para(value, language, size=11, bold=True)]
                 for label, value in block.items]
        grid = Grid(cells, colWidths=[45 * mm, _WIDTH - 45 * mm])
        grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                  ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#d8dee9"))]))
        return [grid, Spacer(1, 2 * mm)]
    if isinstance(block, Bullets):
        return [_para(f"• {item}", language) for item in block.items] + [Spacer(1, 2 * mm)]
    if isinstance(block, Table):
        size = 7.5 if len(block.columns) > 5 else 8.5
        data = [[_para(column, language, size=size, bold=True) for column in block.columns]]
        data += [[_para(cell, language, size=size) for cell in row] for row in block.rows]
        grid = Grid(data, repeatRows=1, colWidths=_widths(block))
        grid.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#d8dee9")),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f1f4f9")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]))
        return [grid, Spacer(1, 2 * mm)]
    if isinstance(block, FrontierChart):
        return [_frontier(block, language), Spacer(1, 2 * mm)]
    return [_chart(block, language), Spacer(1, 2 * mm)]


def _widths(table: Table) -> list[float]:
    """Column widths in proportion to each column's longest text (capped), filling the page."""
    # A CJK character is about twice as wide as a Latin one.
    def length(cell: str) -> int:
        return sum(2 if ord(char) > 0x2E80 else 1 for char in cell)

    weights = [
        min(36, max(length(str(row[index])) for row in [table.columns, *table.rows])) + 2
        for index in range(len(table.columns))
    ]
    total = sum(weights)
    return [_WIDTH * weight / total for weight in weights]


def _chart(chart: LadderChart, language: str, width: float = _WIDTH, height: float = 78 * mm) -> Drawing:
    """The coverage ladder as a vector drawing (stacked bands, loss line, R, axes, legend)."""
    left, bottom, top_pad, legend_h = 40.0, 36.0, 18.0, 14.0 * ((len(chart.bands) + 3) // 4)
    plot_w, plot_h = width - left - 10, height - bottom - top_pad - legend_h
    base = bottom + legend_h
    x_ticks = ticks(max([*chart.losses, chart.requirement]))
    totals = [sum(values[index] for _, values in chart.bands) for index in range(len(chart.losses))]
    y_ticks = ticks(max([*totals, chart.requirement]))
    x_max, y_max = x_ticks[-1], y_ticks[-1]
    font = _font(chart.title + chart.x_label + chart.y_label, language)

    def x(value: float) -> float:
        return left + value / x_max * plot_w

    def y(value: float) -> float:
        return base + value / y_max * plot_h

    drawing = Drawing(width, height)
    drawing.add(String(left, height - 12, chart.title, fontName=font, fontSize=10))
    below = [0.0] * len(chart.losses)
    for (_, values), colour in zip(chart.bands, chart.colours, strict=True):
        above = [low + value for low, value in zip(below, values, strict=True)]
        points: list[float] = []
        for loss, level in zip(chart.losses, above, strict=True):
            points += [x(loss), y(level)]
        for loss, level in reversed(list(zip(chart.losses, below, strict=True))):
            points += [x(loss), y(level)]
        drawing.add(Polygon(points, fillColor=colors.HexColor(colour), strokeColor=None, fillOpacity=0.85))
        below = above
    red = colors.HexColor("#d62728")
    drawing.add(Line(x(0), y(0), x(chart.requirement), y(chart.requirement), strokeColor=red, strokeWidth=1.5,
                     strokeDashArray=[4, 2]))
    drawing.add(Line(x(chart.requirement), base, x(chart.requirement), base + plot_h, strokeColor=red, strokeWidth=0.6))
    drawing.add(String(x(chart.requirement) - 3, base + plot_h - 9, f"R = {chart.requirement:,.2f}",
                       fontName=LATIN_FONT, fontSize=7, fillColor=red, textAnchor="end"))
    drawing.add(Line(left, base, left + plot_w, base, strokeWidth=0.6))
    drawing.add(Line(left, base, left, base + plot_h, strokeWidth=0.6))
    for xv in x_ticks:
        drawing.add(String(x(xv), base - 10, f"{xv:,.4g}", fontName=LATIN_FONT, fontSize=7, textAnchor="middle"))
    for yv in y_ticks:
        drawing.add(String(left - 4, y(yv) - 2, f"{yv:,.4g}", fontName=LATIN_FONT, fontSize=7, textAnchor="end"))
    drawing.add(String(left + plot_w / 2, base - 22, f"{chart.x_label} / {chart.y_label}", fontName=font, fontSize=8,
                       textAnchor="middle"))
    for index, ((name, _), colour) in enumerate(zip(chart.bands, chart.colours, strict=True)):
        column, row = index % 4, index // 4
        lx, ly = left + column * plot_w / 4, legend_h - 10 - row * 14
        drawing.add(Rect(lx, ly, 8, 8, fillColor=colors.HexColor(colour), strokeColor=None))
        drawing.add(String(lx + 11, ly + 1, name, fontName=_font(name, language), fontSize=7))
    return drawing


def _frontier(chart: FrontierChart, language: str, width: float = _WIDTH, height: float = 78 * mm) -> Drawing:
    """Cost against the risk measure as a vector drawing: the points joined, the case marked, its limit."""
    left, base, top_pad = 48.0, 36.0, 18.0
    plot_w, plot_h = width - left - 10, height - base - top_pad
    xs = [point[0] for point in chart.points] + ([chart.limit] if chart.limit is not None else [])
    x_ticks, y_ticks = ticks(max(xs)), ticks(max(point[1] for point in chart.points))
    x_max, y_max = x_ticks[-1], y_ticks[-1]
    font = _font(chart.title + chart.x_label + chart.y_label + chart.current_label, language)

    def x(value: float) -> float:
        return left + value / x_max * plot_w

    def y(value: float) -> float:
        return base + value / y_max * plot_h

    drawing = Drawing(width, height)
    drawing.add(String(left, height - 12, chart.title, fontName=font, fontSize=10))
    grey = colors.HexColor("#e5e9f0")
    for yv in y_ticks:
        drawing.add(Line(left, y(yv), left + plot_w, y(yv), strokeColor=grey, strokeWidth=0.5))
        drawing.add(String(left - 4, y(yv) - 2, f"{yv:,.4g}", fontName=LATIN_FONT, fontSize=7, textAnchor="end"))
    for xv in x_ticks:
        drawing.add(String(x(xv), base - 10, f"{xv:,.4g}", fontName=LATIN_FONT, fontSize=7, textAnchor="middle"))
    drawing.add(Line(left, base, left + plot_w, base, strokeWidth=0.6))
    drawing.add(Line(left, base, left, base + plot_h, strokeWidth=0.6))
    red, blue = colors.HexColor("#d62728"), colors.HexColor("#4e79a7")
    if chart.limit is not None:
        drawing.add(Line(x(chart.limit), base, x(chart.limit), base + plot_h, strokeColor=red, strokeWidth=0.8,
                         strokeDashArray=[4, 2]))
        drawing.add(String(x(chart.limit) + 3, base + plot_h - 9, f"{chart.limit_label} = {chart.limit:,.2f}",
                           fontName=LATIN_FONT, fontSize=7, fillColor=red))
    points: list[float] = []
    for risk, cost in chart.points:
        points += [x(risk), y(cost)]
    drawing.add(PolyLine(points, strokeColor=blue, strokeWidth=1.2))
    for risk, cost in chart.points:
        drawing.add(Circle(x(risk), y(cost), 2, fillColor=blue, strokeColor=None))
    if chart.current is not None:
        cx, cy = x(chart.current[0]), y(chart.current[1])
        marker = colors.HexColor("#e15759")
        drawing.add(Circle(cx, cy, 4.5, fillColor=None, strokeColor=marker, strokeWidth=1.5))
        drawing.add(String(cx + 6, cy + 5, chart.current_label, fontName=font, fontSize=7, fillColor=marker))
    drawing.add(String(left + plot_w / 2, base - 22, chart.x_label, fontName=font, fontSize=8, textAnchor="middle"))
    y_label = Group(String(0, 0, chart.y_label, fontName=font, fontSize=8, textAnchor="middle"))
    y_label.translate(10, base + plot_h / 2)
    y_label.rotate(90)  # the cost axis's own label, read bottom to top beside it
    drawing.add(y_label)
    return drawing
