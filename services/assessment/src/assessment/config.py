from pydantic_settings import SettingsConfigDict
from servicekit.crypto import EncryptionSettings
from servicekit.settings import ServiceSettings


class AssessmentSettings(ServiceSettings, EncryptionSettings):
    """NINOs are sealed and hashed with ASSESSMENT_ENCRYPTION_KEYS / _KEY_ID and
    ASSESSMENT_LOOKUP_KEY (servicekit.crypto.settings): without them the service does not start."""

    model_config = SettingsConfigDict(
        env_prefix="ASSESSMENT_", env_ignore_empty=True, extra="ignore"
    )
    http_port: int = 8101
