from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import SettingsConfigDict
from servicekit.crypto import EncryptionSettings
from servicekit.settings import ServiceSettings


class PaymentsSettings(ServiceSettings, EncryptionSettings):
    """Bank details are sealed with PAYMENTS_ENCRYPTION_KEYS / _KEY_ID / PAYMENTS_LOOKUP_KEY
    (servicekit.crypto.settings): without them the service does not start."""

    model_config = SettingsConfigDict(env_prefix="PAYMENTS_", env_ignore_empty=True, extra="ignore")
    http_port: int = 8102
    # The account benefit is paid from (pain.001 debtor).
    debtor_name: str = "Care Benefit"
    debtor_iban: str = Field("GB33BUKB20201555555555", pattern=r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}$")
    debtor_bic: str = Field("BUKBGB22", pattern=r"^[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?$")
    consumer_enabled: bool = True
    """Off for an API-only replica (and for API tests on a shared broker)."""
    run_batch_size: int = Field(2_000, ge=1, le=50_000)
    run_workers: int = Field(2, ge=1, le=8)
    """Batches of a payment run (and of its roll-forward) worked on side by side."""
    provider_file_lines: int = Field(500_000, ge=1, le=2_000_000)
    """Remittance lines in one providers' pain.001 file: a run's providers' payments go in as
    many files as this needs (each sealed whole into one value: about 360 MiB a million lines,
    so well inside PostgreSQL's 1 GB)."""
    provider_payees_file: Path | None = None
    """Providers' bank details (YAML, as payments/payees/provider-payees.yaml, which is used
    when this is not set, outside production): in production, mounted from a Secret."""
    bank_file_dir: Path | None = None
    """Also write each run's pain.001 files here (they are always stored in the database)."""
    scheduled_run_every_seconds: float | None = Field(None, gt=0)
    """Background job option: run payments for today this often (off unless set)."""
    bank_details_cooling_off_days: int = Field(14, ge=0, le=90)
    """The first payment to changed bank details (another account) waits this many days,
    unless a payments officer verifies the new details first. At least 1 in production."""
    run_max_days_ahead: int = Field(7, ge=0, le=120)
    """A payment run may be dated at most this many days after today (no paying future periods
    early). At most 14 in production; the fault and soak harnesses raise it outside
    production, to have future periods to pay."""

    @model_validator(mode="after")
    def _fail_closed_in_production(self) -> "PaymentsSettings":
        if self.environment == "production" and self.provider_payees_file is None:
            raise ValueError(
                "PAYMENTS_PROVIDER_PAYEES_FILE must be set in production: the packaged provider"
                " payees file holds illustrative bank accounts"
            )
        if self.environment == "production" and not self.provider_payees_file.is_file():
            raise ValueError(
                f"PAYMENTS_PROVIDER_PAYEES_FILE {self.provider_payees_file} is not a file:"
                " payments does not start without the providers' bank details"
            )
        if self.environment == "production" and self.bank_details_cooling_off_days < 1:
            raise ValueError(
                "PAYMENTS_BANK_DETAILS_COOLING_OFF_DAYS must be at least 1 in production"
            )
        if self.environment == "production" and self.run_max_days_ahead > 14:
            raise ValueError("PAYMENTS_RUN_MAX_DAYS_AHEAD must be at most 14 in production")
        return self
