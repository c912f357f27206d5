"""Every provider in care-plans' national catalogue can be paid: payments holds bank details
for it (payments/payees/provider-payees.yaml), in force from the catalogue edition's start."""

import asyncio
from importlib import resources

import pytest
import yaml
from payments.adapters.provider_payees import FileProviderPayees

CATALOGUES = sorted(
    f.name for f in resources.files("care_plans.catalogue").iterdir() if f.name.endswith(".yaml")
)


@pytest.mark.parametrize("edition", CATALOGUES)
def test_every_catalogue_provider_has_bank_details_in_force(edition: str) -> None:
    catalogue = yaml.safe_load(
        resources.files("care_plans.catalogue").joinpath(edition).read_text()
    )
    payees = asyncio.run(FileProviderPayees().load())
    for provider in catalogue["providers"]:
        payee = payees.payee(provider["id"], catalogue["effective_from"])
        assert payee is not None, f"{edition}: no bank details for {provider['id']}"
        assert payee.name == provider["name"]
