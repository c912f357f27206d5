from datetime import date

import pytest
from portal.formatting import long_date, money


def test_money_is_worded_by_wording_negative_amounts_included():
    assert money(19460) == "£194.60"
    assert money(-250) == "-£2.50"
    assert money(None) == "–"


def test_long_date_takes_iso_text_or_a_date_whatever_the_locale():
    assert long_date("2026-04-07") == "7 April 2026"
    assert long_date(date(2027, 1, 31)) == "31 January 2027"
    assert long_date(None) == "–"


def test_float_money_is_refused_not_rounded():
    with pytest.raises(TypeError):
        money(19.46)
