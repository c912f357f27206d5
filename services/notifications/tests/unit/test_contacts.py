import pytest
from notifications.domain.contacts import (
    InvalidContactDetail,
    normalise_email,
    normalise_postcode,
    normalise_uk_mobile,
)


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("amina@example.com", "amina@example.com"),
        ("  Amina.Khan@Example.CO.UK ", "Amina.Khan@example.co.uk"),
        ("first+tag@mail.example.org", "first+tag@mail.example.org"),
        ("o'neill@example.ie", "o'neill@example.ie"),
        ("user@münchen.de", "user@münchen.de"),
    ],
)
def test_valid_email_addresses_are_normalised(raw, normalised):
    assert normalise_email(raw) == normalised


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "amina",
        "amina@",
        "@example.com",
        "amina@example",
        "amina@@example.com",
        "ami na@example.com",
        "amina..khan@example.com",
        ".amina@example.com",
        "amina.@example.com",
        "amina@example..com",
        "amina@-example.com",
        "amina@example.c",
        "amina@example.123",
        "a" * 65 + "@example.com",
        "amina@" + "a" * 64 + ".com",
    ],
)
def test_invalid_email_addresses_are_refused_with_a_reason(raw):
    with pytest.raises(InvalidContactDetail) as raised:
        normalise_email(raw)
    assert raised.value.reason == "invalid email address"


@pytest.mark.parametrize(
    "raw",
    [
        "07700 900123",
        "07700900123",
        "+44 7700 900123",
        "+44 (0)7700 900123",
        "0044 7700 900123",
        "447700900123",
        "07700-900-123",
        "(07700) 900 123",
        "7700900123",
    ],
)
def test_uk_mobile_numbers_are_normalised_to_plus_44(raw):
    assert normalise_uk_mobile(raw) == "+447700900123"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "020 7946 0000",
        "01632 960000",
        "0770090012",
        "077009001234",
        "+33 6 12 34 56 78",
        "+1 202 555 0143",
        "07700 9OO123",
        "phone me",
    ],
)
def test_landlines_foreign_and_malformed_numbers_are_refused_with_a_reason(raw):
    with pytest.raises(InvalidContactDetail) as raised:
        normalise_uk_mobile(raw)
    assert raised.value.reason == "invalid mobile number"


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("sw1a1aa", "SW1A 1AA"),
        ("M1 1AE", "M1 1AE"),
        (" b33 8th ", "B33 8TH"),
        ("CR2 6XH", "CR2 6XH"),
        ("dn551pt", "DN55 1PT"),
        ("gir 0aa", "GIR 0AA"),
    ],
)
def test_postcodes_are_upper_case_with_one_space(raw, normalised):
    assert normalise_postcode(raw) == normalised


@pytest.mark.parametrize("raw", ["", "SW1A", "12345", "SW1A 1A", "not a postcode"])
def test_invalid_postcodes_are_refused_with_a_reason(raw):
    with pytest.raises(InvalidContactDetail, match="invalid postcode"):
        normalise_postcode(raw)
