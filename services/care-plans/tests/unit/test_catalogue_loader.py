from datetime import date

import pytest
import yaml
from care_plans.adapters.catalogue import CATALOGUE_DIR, edition_from_mapping, load_catalogue
from care_plans.domain import OUTCOME_CODES, InvalidCatalogue, NoCatalogueInForce

from .conftest import BIRMINGHAM, BRISTOL, MANCHESTER, OXFORD, WESTMINSTER


def raw_2025() -> dict:
    return yaml.safe_load((CATALOGUE_DIR / "CB-PROVIDERS-2025-26.yaml").read_text())


def test_the_packaged_editions_load_and_are_chosen_by_date(catalogue):
    assert catalogue.in_force_on(date(2025, 4, 7)).id == "CB-PROVIDERS-2025-26"
    assert catalogue.in_force_on(date(2026, 4, 5)).id == "CB-PROVIDERS-2025-26"
    assert catalogue.in_force_on(date(2026, 4, 6)).id == "CB-PROVIDERS-2026-27"


def test_no_edition_is_in_force_before_the_first(catalogue):
    with pytest.raises(NoCatalogueInForce) as error:
        catalogue.in_force_on(date(2025, 4, 6))
    assert error.value.field == "on"


def test_every_edition_covers_five_ons_areas_and_every_outcome(catalogue):
    for edition in catalogue.editions:
        assert {a.code for a in edition.areas} == {
            WESTMINSTER,
            BIRMINGHAM,
            BRISTOL,
            MANCHESTER,
            OXFORD,
        }
        assert {d.outcome for d in edition.outcome_defaults} == OUTCOME_CODES
        assert edition.source
        assert all(isinstance(k.unit_rate_pence, int) for k in edition.contracts)


def test_home_care_rates_are_realistic(edition):
    rates = [k.unit_rate_pence for k in edition.contracts if k.service_code == "HOME_CARE_HOUR"]
    assert all(2500 <= rate <= 3250 for rate in rates)


def test_review_policy_is_data_with_its_citation(edition):
    policy = edition.review_policy
    assert (policy.first_review_after_weeks, policy.interval_months) == (8, 12)
    assert "s.27" in policy.citation and "13.32" in policy.citation


def test_decimal_money_is_refused_naming_the_field():
    data = raw_2025()
    data["contracts"][0]["areas"][1]["unit_rate_pence"] = 2560.0
    with pytest.raises(InvalidCatalogue) as error:
        edition_from_mapping(data)
    assert error.value.field == "contracts[0].areas[1].unit_rate_pence"
    assert "whole number of pence" in str(error.value)
    assert "2560.0 (float)" in str(error.value)


def test_money_as_a_string_is_refused_too():
    data = raw_2025()
    data["contracts"][2]["areas"][0]["unit_rate_pence"] = "27.40"
    with pytest.raises(InvalidCatalogue, match=r"contracts\[2\]\.areas\[0\]\.unit_rate_pence"):
        edition_from_mapping(data)


def test_every_problem_is_reported_at_once():
    data = raw_2025()
    data["contracts"][0]["areas"][0]["unit_rate_pence"] = 31.2
    data["review_policy"]["interval_months"] = True
    del data["providers"][0]["name"]
    with pytest.raises(InvalidCatalogue) as error:
        edition_from_mapping(data)
    assert {e.field for e in error.value.errors} == {
        "contracts[0].areas[0].unit_rate_pence",
        "review_policy.interval_months",
        "providers[0].name",
    }


def test_broken_references_are_refused():
    data = raw_2025()
    data["contracts"][0]["provider"] = "PRV-9999"
    data["outcome_defaults"][0]["options"][0]["service"] = "MEALS_DAY_TYPO"
    with pytest.raises(InvalidCatalogue) as error:
        edition_from_mapping(data)
    messages = str(error.value)
    assert "unknown provider 'PRV-9999'" in messages
    assert "unknown 'MEALS_DAY_TYPO'" in messages


def test_overlapping_contracts_for_the_same_area_are_refused():
    data = raw_2025()
    data["contracts"].append(dict(data["contracts"][0]))
    with pytest.raises(InvalidCatalogue, match="overlapping contract dates"):
        edition_from_mapping(data)


def test_a_default_service_must_serve_its_outcome():
    data = raw_2025()
    data["outcome_defaults"][0]["options"][0]["service"] = "EQUIPMENT_ALARM_WEEK"
    with pytest.raises(InvalidCatalogue, match="does not list outcome 'a'"):
        edition_from_mapping(data)


def test_duplicate_edition_ids_in_a_directory_are_refused(tmp_path):
    text = (CATALOGUE_DIR / "CB-PROVIDERS-2025-26.yaml").read_text()
    (tmp_path / "one.yaml").write_text(text)
    (tmp_path / "two.yaml").write_text(text)
    with pytest.raises(InvalidCatalogue, match="two.yaml:id"):
        load_catalogue(tmp_path)
