"""The flows page's charts: one bar per minute with traffic, scaled to the peak, and a label
that says the figures (escaped)."""

from portal.sparkline import HEIGHT, sparkline


def test_one_bar_per_busy_minute_scaled_to_the_peak() -> None:
    svg = str(sparkline([0, 2, 4, 0, 1], "assessment.events published"))
    assert svg.count("<rect") == 3
    assert f'height="{HEIGHT:.1f}"' in svg  # the peak fills the chart
    assert f'height="{HEIGHT / 4:.1f}"' in svg
    assert 'role="img"' in svg
    assert "7 in the last hour, peak 4 a minute, 1 in the last minute" in svg


def test_a_quiet_hour_and_a_hostile_label() -> None:
    svg = str(sparkline([0] * 60, '<script>"x"</script>'))
    assert "<rect" not in svg and "<script>" not in svg and "&lt;script&gt;" in svg
    assert "0 in the last hour" in svg
