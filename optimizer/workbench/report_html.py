"""The board report as one self-contained HTML file: inline styles, an inline SVG chart.

No script, no external font, image or stylesheet: the file opens the same offline, in a mail
client or in an archive years later, and prints cleanly (A4, charts and tables kept whole).
Every text is HTML-escaped: case names and ids come from the user.
"""

from __future__ import annotations

from html import escape

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

_STYLE = """
body{font-family:"Noto Sans CJK JP","Hiragino Sans","Yu Gothic",-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;
color:#1d2433;max-width:1000px;margin:2rem auto;padding:0 1.5rem;line-height:1.5}
h1{font-size:1.7rem;margin-bottom:.2rem}h2{font-size:1.2rem;border-bottom:2px solid #4e79a7;padding-bottom:.2rem;
margin-top:2rem}
.figures{display:flex;flex-wrap:wrap;gap:1rem}.figure{border:1px solid #d8dee9;border-radius:6px;padding:.6rem 1rem;
min-width:10rem}.figure .label{font-size:.8rem;color:#5b6475}.figure .value{font-size:1.25rem;font-weight:600;
word-break:break-all}
table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.6rem 0}th,td{border:1px solid #d8dee9;
padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f1f4f9}td.num{text-align:right;
white-space:nowrap}pre{background:#f6f8fa;padding:.6rem;white-space:pre-wrap;font-size:.85rem}
svg{max-width:100%;height:auto}.legend span{display:inline-block;margin-right:1rem;font-size:.85rem}
.legend i{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:middle}
@media print{body{margin:0}h2,table,svg{break-inside:avoid}}
"""


def report_html(report: Report) -> str:
    """The report as a complete HTML document (UTF-8)."""
    body = "\n".join(_block(block) for block in report.blocks)
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(report.language)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(report.title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"<h1>{escape(report.title)}</h1>\n{body}\n</body>\n</html>\n"
    )


def _block(block: Block) -> str:
    if isinstance(block, Heading):
        return f"<h2>{escape(block.text)}</h2>"
    if isinstance(block, Paragraph):
        return f"<pre>{escape(block.text)}</pre>" if block.preformatted else f"<p>{escape(block.text)}</p>"
    if isinstance(block, Figures):
        cells = "".join(
            f'<div class="figure"><div class="label">{escape(label)}</div>'
            f'<div class="value">{escape(value)}</div></div>'
            for label, value in block.items
        )
        return f'<div class="figures">{cells}</div>'
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in block.items) + "</ul>"
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, FrontierChart):
        return frontier_svg(block)
    return ladder_svg(block)


def _table(table: Table) -> str:
    head = "".join(f"<th>{escape(column)}</th>" for column in table.columns)
    rows = []
    for row in table.rows:
        cells = []
        for column, cell in zip(table.columns, row, strict=True):
            if column in table.links and cell.startswith(("https://", "http://")):
                cells.append(f'<td><a href="{escape(cell, quote=True)}">{escape(cell)}</a></td>')
            else:
                numeric = cell[:1].isdigit() or cell[:1] in "¥€$£₩-" or cell.endswith(("円", "%"))
                cells.append(f'<td class="num">{escape(cell)}</td>' if numeric else f"<td>{escape(cell)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def ladder_svg(chart: LadderChart, width: int = 900, height: int = 380) -> str:
    """The coverage ladder as inline SVG: stacked bands, the loss line, R marked, axes with units."""
    left, right, top, bottom = 70, 20, 30, 50
    plot_w, plot_h = width - left - right, height - top - bottom
    x_ticks = ticks(max([*chart.losses, chart.requirement]))
    totals = [sum(values[index] for _, values in chart.bands) for index in range(len(chart.losses))]
    y_ticks = ticks(max([*totals, chart.requirement]))
    x_max, y_max = x_ticks[-1], y_ticks[-1]

    def x(value: float) -> float:
        return left + value / x_max * plot_w

    def y(value: float) -> float:
        return top + plot_h - value / y_max * plot_h

    parts = [
        (f'<svg viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" role="img" '
         f'aria-label="{escape(chart.title, quote=True)}">'),
        f'<text x="{left}" y="18" font-size="14" font-weight="600">{escape(chart.title)}</text>',
    ]
    below = [0.0] * len(chart.losses)
    for (name, values), colour in zip(chart.bands, chart.colours, strict=True):
        above = [low + value for low, value in zip(below, values, strict=True)]
        upper = " ".join(f"{x(loss):.1f},{y(level):.1f}" for loss, level in zip(chart.losses, above, strict=True))
        lower = " ".join(f"{x(loss):.1f},{y(level):.1f}"
                         for loss, level in reversed(list(zip(chart.losses, below, strict=True))))
        parts.append(f'<polygon points="{upper} {lower}" fill="{colour}" fill-opacity="0.85">'
                     f"<title>{escape(name)}</title></polygon>")
        below = above
    parts.append(f'<line x1="{x(0):.1f}" y1="{y(0):.1f}" x2="{x(chart.requirement):.1f}" '
                 f'y2="{y(chart.requirement):.1f}" stroke="#d62728" stroke-width="2" stroke-dasharray="6 3"/>')
    parts.append(f'<line x1="{x(chart.requirement):.1f}" y1="{top}" x2="{x(chart.requirement):.1f}" '
                 f'y2="{top + plot_h}" stroke="#d62728" stroke-width="1"/>')
    parts.append(f'<text x="{x(chart.requirement) - 4:.1f}" y="{top + 12}" font-size="12" text-anchor="end" '
                 f'fill="#d62728">R = {chart.requirement:,.2f}</text>')
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#333"/>')
    parts.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#333"/>')
    for xv in x_ticks:
        parts.append(f'<text x="{x(xv):.1f}" y="{top + plot_h + 16}" font-size="11" '
                     f'text-anchor="middle">{xv:,.4g}</text>')
    for yv in y_ticks:
        parts.append(f'<line x1="{left}" y1="{y(yv):.1f}" x2="{left + plot_w}" y2="{y(yv):.1f}" stroke="#e5e9f0"/>')
        parts.append(f'<text x="{left - 6}" y="{y(yv) + 4:.1f}" font-size="11" text-anchor="end">{yv:,.4g}</text>')
    parts.append(f'<text x="{left + plot_w / 2:.1f}" y="{height - 8}" font-size="12" text-anchor="middle">'
                 f"{escape(chart.x_label)}</text>")
    parts.append(f'<text x="14" y="{top + plot_h / 2:.1f}" font-size="12" text-anchor="middle" '
                 f'transform="rotate(-90 14 {top + plot_h / 2:.1f})">{escape(chart.y_label)}</text>')
    parts.append("</svg>")
    legend = "".join(f'<span><i style="background:{colour}"></i>{escape(name)}</span>'
                     for (name, _), colour in zip(chart.bands, chart.colours, strict=True))
    return "".join(parts) + f'<div class="legend">{legend}</div>'


def frontier_svg(chart: FrontierChart, width: int = 900, height: int = 380) -> str:
    """Cost against the risk measure as inline SVG: the points joined, the case marked, its limit."""
    left, right, top, bottom = 70, 20, 30, 50
    plot_w, plot_h = width - left - right, height - top - bottom
    xs = [point[0] for point in chart.points] + ([chart.limit] if chart.limit is not None else [])
    x_ticks, y_ticks = ticks(max(xs)), ticks(max(point[1] for point in chart.points))
    x_max, y_max = x_ticks[-1], y_ticks[-1]

    def at(point: tuple[float, float]) -> tuple[float, float]:
        return left + point[0] / x_max * plot_w, top + plot_h - point[1] / y_max * plot_h

    parts = [
        (f'<svg viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" role="img" '
         f'aria-label="{escape(chart.title, quote=True)}">'),
        f'<text x="{left}" y="18" font-size="14" font-weight="600">{escape(chart.title)}</text>',
    ]
    for yv in y_ticks:
        _, py = at((0.0, yv))
        parts.append(f'<line x1="{left}" y1="{py:.1f}" x2="{left + plot_w}" y2="{py:.1f}" stroke="#e5e9f0"/>')
        parts.append(f'<text x="{left - 6}" y="{py + 4:.1f}" font-size="11" text-anchor="end">{yv:,.4g}</text>')
    for xv in x_ticks:
        px, _ = at((xv, 0.0))
        parts.append(f'<text x="{px:.1f}" y="{top + plot_h + 16}" font-size="11" text-anchor="middle">{xv:,.4g}</text>')
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#333"/>')
    parts.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#333"/>')
    if chart.limit is not None:
        px, _ = at((chart.limit, 0.0))
        parts.append(f'<line x1="{px:.1f}" y1="{top}" x2="{px:.1f}" y2="{top + plot_h}" stroke="#d62728" '
                     f'stroke-dasharray="6 3"/>')
        parts.append(f'<text x="{px + 4:.1f}" y="{top + 12}" font-size="12" fill="#d62728">'
                     f"{escape(chart.limit_label)} = {chart.limit:,.2f}</text>")
    line = " ".join("{:.1f},{:.1f}".format(*at(point)) for point in chart.points)
    parts.append(f'<polyline points="{line}" fill="none" stroke="#4e79a7" stroke-width="2"/>')
    for point in chart.points:
        px, py = at(point)
        parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3.5" fill="#4e79a7">'
                     f"<title>{point[0]:,.2f} / {point[1]:,.3f}</title></circle>")
    if chart.current is not None:
        px, py = at(chart.current)
        parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="7" fill="none" stroke="#e15759" stroke-width="2.5"/>')
        parts.append(f'<text x="{px + 10:.1f}" y="{py - 8:.1f}" font-size="12" fill="#e15759">'
                     f"{escape(chart.current_label)}</text>")
    parts.append(f'<text x="{left + plot_w / 2:.1f}" y="{height - 8}" font-size="12" text-anchor="middle">'
                 f"{escape(chart.x_label)}</text>")
    parts.append(f'<text x="14" y="{top + plot_h / 2:.1f}" font-size="12" text-anchor="middle" '
                 f'transform="rotate(-90 14 {top + plot_h / 2:.1f})">{escape(chart.y_label)}</text>')
    return "".join(parts) + "</svg>"
