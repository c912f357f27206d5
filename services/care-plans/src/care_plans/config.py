from pydantic import Field
from pydantic_settings import SettingsConfigDict
from servicekit.settings import ServiceSettings


class CarePlansSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="CARE_PLANS_", env_ignore_empty=True, extra="ignore"
    )
    http_port: int = 8103
    review_interval_seconds: float = Field(
        3600, ge=0, description="How often the review sweep runs; 0 turns the job off"
    )
