"""Server-rendered SVG charts of dashboard tables, drawn by pygal (no JavaScript, no external hosts:
pygal's tooltip script and its configuration script are left out). Served as images from this host,
each next to the table it draws."""

import re

import pygal
from pygal.style import Style

# Colours distinguishable with common colour-vision deficiencies (Okabe–Ito), readable on white.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
STYLE = Style(
    background="#ffffff", plot_background="#ffffff", foreground="#1b1f23", foreground_strong="#1b1f23",
    foreground_subtle="#555b62", colors=PALETTE, opacity="0.9", opacity_hover="1",
    font_family='"Noto Sans CJK SC","WenQuanYi Zen Hei","Microsoft YaHei",sans-serif',
    label_font_size=12, major_label_font_size=12, legend_font_size=12, title_font_size=15, value_font_size=11,
)
_SCRIPT = re.compile(r"<script\b.*?</script>|<!--.*?-->", re.S)  # scripts, and comments naming pygal's site
_KINDS = {"bar": pygal.Bar, "stacked": pygal.StackedBar, "line": pygal.Line, "hbar": pygal.HorizontalStackedBar}


def render(table):
    """The table as an SVG document (str)."""
    kind = _KINDS[table.chart]
    height = 360 if table.chart != "hbar" else 60 + 30 * max(len(table.rows), 3)
    rotate = 30 if table.chart in ("line", "stacked") and len(table.rows) > 6 else 0
    chart = kind(style=STYLE, js=[], width=760, height=height, title=str(table.title),
                 show_legend=len(table.drawn) > 1, legend_at_bottom=True, legend_at_bottom_columns=3,
                 x_label_rotation=rotate, truncate_label=-1, truncate_legend=-1, print_values=False,
                 no_data_text="暂无数据", dots_size=3, range=(0, 100) if table.percent else None)
    chart.x_labels = [str(row[0]) for row in table.rows]
    for index in table.drawn:
        chart.add(str(table.columns[index]), [row[index] for row in table.rows])
    svg = chart.render(is_unicode=True)
    return _SCRIPT.sub("", svg)
