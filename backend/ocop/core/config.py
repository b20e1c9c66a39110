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
    # registry import: data rows per file, bytes an XLSX may unpack to (zip bombs), minutes after which an import
    # whose process stopped reporting is taken as abandoned (failed, nothing written; it may be committed again)
    import_max_rows: int = Field(20_000, alias="OCOP_IMPORT_MAX_ROWS")
    import_max_unpacked_bytes: int = Field(64 * 1024 * 1024, alias="OCOP_IMPORT_MAX_UNPACKED_BYTES")
    import_stale_minutes: int = Field(10, alias="OCOP_IMPORT_STALE_MINUTES")
    webhook_allowed_targets: str = Field("", alias="OCOP_WEBHOOK_ALLOWED_TARGETS")
    webhook_timeout_seconds: float = Field(10.0, alias="OCOP_WEBHOOK_TIMEOUT")
    webhook_max_age_hours: int = Field(24, alias="OCOP_WEBHOOK_MAX_AGE_HOURS")
    eoffice_agency_code: str = Field("000.00.00.G22", alias="OCOP_EOFFICE_AGENCY_CODE")
    eoffice_max_bytes: int = Field(20 * 1024 * 1024, alias="OCOP_EOFFICE_MAX_BYTES")
    # every request body, whatever the route (0: the largest of the limits above and the template limit, plus 1 MB)
    request_max_bytes: int = Field(0, ge=0, alias="OCOP_REQUEST_MAX_BYTES")
    embedded_worker: bool = Field(False, alias="OCOP_EMBEDDED_WORKER")
    storage_dir: Path = Field(REPO_ROOT / "var" / "files", alias="OCOP_STORAGE_DIR")
    cors_origins: str = Field("", alias="OCOP_CORS_ORIGINS")
    spa_dir: Path = Field(REPO_ROOT / "frontend" / "dist", alias="OCOP_SPA_DIR")
    # sign-in protection
    login_max_failures: int = Field(5, alias="OCOP_LOGIN_MAX_FAILURES")
    login_lock_minutes: int = Field(15, alias="OCOP_LOGIN_LOCK_MINUTES")
    ip_max_failures: int = Field(30, alias="OCOP_IP_MAX_FAILURES")
    ip_window_minutes: int = Field(15, alias="OCOP_IP_WINDOW_MINUTES")
    # the refresh cookie is Secure unless the site is reached on loopback; true: Secure there too
    secure_cookies: bool = Field(False, alias="OCOP_SECURE_COOKIES")
    # addresses or networks (comma-separated) of the reverse proxies whose X-Forwarded-For is believed
    trusted_proxies: str = Field("", alias="OCOP_TRUSTED_PROXIES")
    # /metrics answers loopback only, plus these networks (comma-separated), or everyone when public
    metrics_public: bool = Field(False, alias="OCOP_METRICS_PUBLIC")
    metrics_allowed: str = Field("", alias="OCOP_METRICS_ALLOWED")
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
        return self.ocop_env.strip().lower() == "production"

    @property
    def is_development(self) -> bool:
        return self.ocop_env.strip().lower() == "development"

    @property
    def eoffice_package_max_bytes(self) -> int:
        """The largest e-office package: attachments of up to OCOP_EOFFICE_MAX_BYTES in all, base64-encoded (4/3 of
        their size, and 2 bytes more per 76 when the sender breaks lines), plus 1 MB for the envelope."""
        encoded = -(-self.eoffice_max_bytes // 3) * 4
        return encoded + encoded // 38 + 1024 * 1024

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
        """Refuse to run outside development (production, staging, anything else OCOP_ENV says) with a default or
        weak secret, or with a malformed network list."""
        from .caller import parse_networks  # core.caller imports this module

        for name, value in (("OCOP_TRUSTED_PROXIES", self.trusted_proxies),
                            ("OCOP_METRICS_ALLOWED", self.metrics_allowed)):
            parse_networks(value, name)
        if self.is_development:
            return
        secret = self.secret_key.get_secret_value()
        if secret == DEFAULT_SECRET or len(secret) < 32:
            raise RuntimeError(
                f"SECRET_KEY is the development default or shorter than 32 characters; "
                f"set a strong SECRET_KEY (OCOP_ENV={self.ocop_env!r} is not development)"
            )


@lru_cache
def get_settings() -> Settings:
    return Settings()
