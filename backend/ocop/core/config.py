"""Application settings: one pydantic-settings class, read from the environment and `.env`."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_SECRET = "dev-secret-change-me-0123456789abcdef"  # refused outside development  # nosec B105


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    ocop_env: str = Field("development", alias="OCOP_ENV")
    database_url: str = Field("", alias="DATABASE_URL")
    secret_key: SecretStr = Field(SecretStr(DEFAULT_SECRET), alias="SECRET_KEY")
    jwt_algorithm: str = Field("HS256", alias="OCOP_JWT_ALGORITHM")
    access_token_minutes: int = Field(15, alias="OCOP_ACCESS_TOKEN_MINUTES")
    refresh_token_days: int = Field(14, alias="OCOP_REFRESH_TOKEN_DAYS")
    demo_password: SecretStr = Field(SecretStr("demo-password"), alias="OCOP_DEMO_PASSWORD")
    upload_max_bytes: int = Field(20 * 1024 * 1024, alias="OCOP_UPLOAD_MAX_BYTES")
    import_max_bytes: int = Field(10 * 1024 * 1024, alias="OCOP_IMPORT_MAX_BYTES")
    webhook_allowed_targets: str = Field("", alias="OCOP_WEBHOOK_ALLOWED_TARGETS")
    webhook_timeout_seconds: float = Field(10.0, alias="OCOP_WEBHOOK_TIMEOUT")
    webhook_max_age_hours: int = Field(24, alias="OCOP_WEBHOOK_MAX_AGE_HOURS")
    eoffice_agency_code: str = Field("000.00.00.G22", alias="OCOP_EOFFICE_AGENCY_CODE")
    eoffice_max_bytes: int = Field(20 * 1024 * 1024, alias="OCOP_EOFFICE_MAX_BYTES")
    embedded_worker: bool = Field(False, alias="OCOP_EMBEDDED_WORKER")
    storage_dir: Path = Field(REPO_ROOT / "var" / "files", alias="OCOP_STORAGE_DIR")
    cors_origins: str = Field("", alias="OCOP_CORS_ORIGINS")
    spa_dir: Path = Field(REPO_ROOT / "frontend" / "dist", alias="OCOP_SPA_DIR")
    # sign-in protection
    login_max_failures: int = Field(5, alias="OCOP_LOGIN_MAX_FAILURES")
    login_lock_minutes: int = Field(15, alias="OCOP_LOGIN_LOCK_MINUTES")
    ip_max_failures: int = Field(30, alias="OCOP_IP_MAX_FAILURES")
    ip_window_minutes: int = Field(15, alias="OCOP_IP_WINDOW_MINUTES")
    secure_cookies: bool = Field(False, alias="OCOP_SECURE_COOKIES")
    log_level: str = Field("INFO", alias="OCOP_LOG_LEVEL")
    db_pool_size: int = Field(20, alias="OCOP_DB_POOL_SIZE")
    utc_offset_hours: int = Field(7, alias="OCOP_UTC_OFFSET_HOURS")
    expiring_days: int = Field(90, alias="OCOP_EXPIRING_DAYS")
    certificate_months: int = Field(36, alias="OCOP_CERTIFICATE_MONTHS")
    local_report_lead_days: int = Field(7, alias="OCOP_LOCAL_REPORT_LEAD_DAYS")
    soffice_path: str = Field("", alias="OCOP_SOFFICE_PATH")  # empty: look for soffice/libreoffice on PATH
    pdf_timeout_seconds: float = Field(60.0, alias="OCOP_PDF_TIMEOUT")
    template_max_bytes: int = Field(5 * 1024 * 1024, alias="OCOP_TEMPLATE_MAX_BYTES")
    auth_rate_limit: int = Field(120, alias="OCOP_AUTH_RATE_LIMIT")
    auth_rate_window_seconds: int = Field(60, alias="OCOP_AUTH_RATE_WINDOW")
    client_rate_limit: int = Field(600, alias="OCOP_CLIENT_RATE_LIMIT")
    client_rate_window_seconds: int = Field(60, alias="OCOP_CLIENT_RATE_WINDOW")
    public_rate_limit: int = Field(60, alias="OCOP_PUBLIC_RATE_LIMIT")
    public_rate_window_seconds: int = Field(60, alias="OCOP_PUBLIC_RATE_WINDOW")
    # e-mail of notifications (empty host = e-mail off) and the SPA's address for links in them
    smtp_host: str = Field("", alias="OCOP_SMTP_HOST")
    smtp_port: int = Field(25, alias="OCOP_SMTP_PORT")
    smtp_username: str = Field("", alias="OCOP_SMTP_USERNAME")
    smtp_password: SecretStr = Field(SecretStr(""), alias="OCOP_SMTP_PASSWORD")
    smtp_from: str = Field("OCOP Inspect <no-reply@localhost>", alias="OCOP_SMTP_FROM")
    smtp_starttls: bool = Field(False, alias="OCOP_SMTP_STARTTLS")
    smtp_ssl: bool = Field(False, alias="OCOP_SMTP_SSL")
    smtp_timeout_seconds: float = Field(10.0, alias="OCOP_SMTP_TIMEOUT")
    public_url: str = Field("", alias="OCOP_PUBLIC_URL")

    @field_validator("jwt_algorithm")
    @classmethod
    def _known_algorithm(cls, v: str) -> str:
        if v not in {"HS256", "HS384", "HS512"}:
            raise ValueError("OCOP_JWT_ALGORITHM must be one of HS256, HS384, HS512")
        return v

    @property
    def is_production(self) -> bool:
        return self.ocop_env == "production"

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            url = self.database_url
            if url.startswith("postgresql://") or url.startswith("postgres://"):
                url = "postgresql+psycopg://" + url.split("://", 1)[1]
            return url
        path = REPO_ROOT / "var" / "ocop.db"
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"

    @property
    def cors_origin_list(self) -> list[str]:
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]

    def check_production(self) -> None:
        """Refuse to run in production with a default or weak secret."""
        if not self.is_production:
            return
        secret = self.secret_key.get_secret_value()
        if secret == DEFAULT_SECRET or len(secret) < 32:
            raise RuntimeError(
                "SECRET_KEY is the development default or shorter than 32 characters; "
                "set a strong SECRET_KEY in production"
            )


@lru_cache
def get_settings() -> Settings:
    return Settings()
