from pydantic_settings import SettingsConfigDict
from servicekit.settings import ServiceSettings


class AssessmentSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="ASSESSMENT_", env_ignore_empty=True, extra="ignore"
    )
    http_port: int = 8101
