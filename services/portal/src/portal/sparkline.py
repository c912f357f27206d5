"""Small server-rendered SVG bar charts (no JavaScript): one bar per minute, labelled for screen
readers with the figures the chart shows."""

from markupsafe import Markup, escape

WIDTH, HEIGHT = 240, 40


def sparkline(per_minute: list[int], label: str) -> Markup:
    """`per_minute` oldest first; the tallest bar fills the height."""
    peak = max(per_minute, default=0) or 1
    width = WIDTH / max(len(per_minute), 1)
    bars = "".join(
        f'<rect x="{i * width:.1f}" y="{HEIGHT - h:.1f}" width="{max(width - 1, 1):.1f}"'
        f' height="{h:.1f}"></rect>'
        for i, n in enumerate(per_minute)
        if (h := HEIGHT * n / peak) > 0
    )
    last = per_minute[-1] if per_minute else 0
    text = escape(
        f"{label}: {sum(per_minute)} in the last hour, peak {max(per_minute, default=0)}"
        f" a minute, {last} in the last minute"
    )
    return Markup(  # noqa: S704 (numbers we formatted and the escaped label only)
        f'<svg class="ops-sparkline" role="img" aria-label="{text}" width="{WIDTH}"'
        f' height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" fill="#1d70b8">'
        f'<title>{text}</title><line x1="0" y1="{HEIGHT - 0.5}" x2="{WIDTH}" y2="{HEIGHT - 0.5}"'
        f' stroke="#505a5f"></line>{bars}</svg>'
    )
