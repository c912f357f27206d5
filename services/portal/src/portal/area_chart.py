"""The area comparison's ranked bar chart, server-rendered SVG (no JavaScript). Each bar is
labelled with its rank, area and figure in text, so nothing depends on colour; the table
beside it holds the same numbers."""

from markupsafe import Markup, escape

from portal.area_table import Measure

ROW, LABEL, BAR, FIGURE = 28, 260, 360, 90


def ranked_chart(ranking: list[tuple[int | None, dict]], measure: Measure) -> Markup:
    shown = [(rank, row) for rank, row in ranking if rank is not None]
    peak = max((abs(row["cells"][measure.key]) for _, row in shown), default=0) or 1
    height = ROW * max(len(shown), 1)
    parts = []
    for i, (rank, row) in enumerate(shown):
        cell = row["cells"][measure.key]
        y, width = i * ROW, BAR * abs(cell) / peak
        name = escape(f"{rank}. {row['area_name'] or row['area_code']}")
        parts.append(
            f'<text x="{LABEL - 8}" y="{y + 18}" text-anchor="end">{name}</text>'
            f'<rect x="{LABEL}" y="{y + 4}" width="{width:.1f}" height="{ROW - 8}"'
            ' fill="#1d70b8"></rect>'
            f'<text x="{LABEL + width + 6:.1f}" y="{y + 18}">{escape(measure.text(cell))}</text>'
        )
    title = escape(f"Areas ranked by {measure.label.lower()}, {measure.better} first")
    total = LABEL + BAR + FIGURE
    return Markup(  # noqa: S704 (numbers we formatted and escaped text only)
        f'<svg class="ops-ranked" role="img" aria-labelledby="ranked-title" width="100%"'
        f' viewBox="0 0 {total} {height}" font-family="inherit" font-size="14" fill="#0b0c0c">'
        f'<title id="ranked-title">{title}</title><g fill="#0b0c0c">{"".join(parts)}</g></svg>'
    )
