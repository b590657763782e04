"""Settings from the environment. The variable names are a contract (see DESIGN.md)."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything togglbot reads from the environment; secrets stay SecretStr."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=True)

    DATABASE_URL: str = "sqlite:///togglbot.db"
    TOKEN_ENCRYPTION_KEY: SecretStr | None = None
    TOGGL_API_URL: str = "https://api.track.toggl.com/api/v9"
    TOGGL_REPORTS_URL: str = "https://api.track.toggl.com/reports/api/v3"
    SLACK_BOT_TOKEN: SecretStr | None = None
    SLACK_SIGNING_SECRET: SecretStr | None = None
    SLACK_APP_TOKEN: SecretStr | None = None
    SLACK_CLIENT_ID: str | None = None
    SLACK_CLIENT_SECRET: SecretStr | None = None
    SLACK_API_URL: str = "https://slack.com/api/"
    # The web process's public HTTPS base URL (e.g. https://togglbot.example.org): where
    # Slack sends people back after `status on`. Without it, statuses can't be offered.
    PUBLIC_URL: str | None = None
    DISCORD_TOKEN: SecretStr | None = None
    PORT: int = Field(default=3000, ge=1, le=65535)
