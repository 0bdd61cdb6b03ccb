"""ICMC settings: one file, driven by the environment.

Environment variables:
  ICMC_ENV          development (default) | test | production
  SECRET_KEY        required in production; in development a random key is kept in var/secret_key
  DATABASE_URL      e.g. postgres://postgres@127.0.0.1:5432/icmc; default: SQLite file var/icmc.sqlite3
  ALLOWED_HOSTS     comma separated (production)
  ICMC_CONN_MAX_AGE seconds a database connection is kept between requests (default 60; 0 = per request)
  ICMC_VAR_DIR      where the embedded database, keys and benchmark output live (default ./var)
  ICMC_AUDIT_KEY    HMAC key of the audit hash chain (or ICMC_AUDIT_KEY_FILE); required in production
  ICMC_PASSKEYS_REQUIRED  1/0: administrators, state nodal officers and superusers must use a passkey
                    (WebAuthn) as second factor; default 1 in production, 0 in development and tests
  ICMC_WEBAUTHN_RP_ID      the passkeys' relying party id (the site's domain; default: the request's host)
  ICMC_WEBAUTHN_ORIGINS    comma-separated origins passkey ceremonies may come from (production default:
                    https://<each ALLOWED_HOSTS entry>)
  ICMC_MASTER_KEY   master key(s) wrapping the per-person data keys, "<id>:<base64 32 bytes>" lines, active
                    first (or ICMC_MASTER_KEY_FILE, default var/master_key); required in production (docs/vault.md)
  ICMC_NODE_MODE    centre (default) | field: a field node works offline and syncs with its upstream (docs/sync.md)
  ICMC_UPSTREAM_URL the upstream's sync API on a field node, e.g. https://centre.example/api/v1/sync (else the
                    provisioning bundle's); ICMC_NODE_FILE / ICMC_NODE_KEY_FILE: the node's identity and its
                    private key (default var/node.json, var/node_key, written 0600 by `fieldnode provision`)
"""

from __future__ import annotations

import base64
import datetime
import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from icmc.vault.keyfile import MasterKeyError, new_key_line, parse_master_keys

BASE_DIR = Path(__file__).resolve().parent.parent
ICMC_ENV = os.environ.get("ICMC_ENV", "development")
if ICMC_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(f"ICMC_ENV must be development, test or production, not {ICMC_ENV!r}")
PRODUCTION = ICMC_ENV == "production"
VAR_DIR = Path(os.environ.get("ICMC_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set in production (ICMC_ENV=production).")
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()


def _audit_key() -> str:
    """The HMAC key of the audit hash chain: outside the database (environment, or a key file)."""
    key = os.environ.get("ICMC_AUDIT_KEY", "")
    if key:
        return key
    path = Path(os.environ.get("ICMC_AUDIT_KEY_FILE", VAR_DIR / "audit_key"))
    if not path.exists():
        if PRODUCTION:
            raise ImproperlyConfigured("ICMC_AUDIT_KEY or ICMC_AUDIT_KEY_FILE must be set in production.")
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


ICMC_AUDIT_KEY = _audit_key()


def _master_keys() -> str:
    """The master key(s) of icmc.vault: outside the database (environment, or a key file). Checked here so that
    a missing or malformed key stops the start, not the first request."""
    text = os.environ.get("ICMC_MASTER_KEY", "")
    if not text:
        path = Path(os.environ.get("ICMC_MASTER_KEY_FILE", VAR_DIR / "master_key"))
        if not path.exists():
            if PRODUCTION:
                raise ImproperlyConfigured("ICMC_MASTER_KEY or ICMC_MASTER_KEY_FILE must be set in production.")
            path.write_text(new_key_line(f"dev-{secrets.token_hex(4)}") + "\n")
            path.chmod(0o600)
        text = path.read_text()
    try:
        keys = parse_master_keys(text, default_id=os.environ.get("ICMC_MASTER_KEY_ID", "k1"))
    except MasterKeyError as exc:
        raise ImproperlyConfigured(f"ICMC master key: {exc}") from None
    return "\n".join(f"{key_id}:{base64.b64encode(raw).decode()}" for key_id, raw in keys.items())


ICMC_MASTER_KEYS = _master_keys()
DEBUG = os.environ.get("DEBUG", "0" if PRODUCTION else "1") == "1" and ICMC_ENV == "development"
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h] or (
    [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "axes",
    "csp",
    "ninja",  # serves the Swagger UI of /api/v1/docs from its own static files (no CDN, no inline script)
    "icmc.accounts",
    "icmc.audit",
    "icmc.sync",
    "icmc.cases",
    "icmc.prosecution",
    "icmc.pathway",
    "icmc.referrals",
    "icmc.emergency",
    "icmc.privacy",
    "icmc.deadlines",
    "icmc.matching",
    "icmc.access",
    "icmc.web",
    "icmc.api",
    "icmc.demo",
    "icmc.identity",
    "icmc.vault",
    "icmc.fieldnode",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "icmc.web.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "icmc.web.middleware.ActorMiddleware",
    "icmc.identity.middleware.SessionPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "icmc.web.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
    "icmc.fieldnode.middleware.FieldNodeMiddleware",  # last: a field node's write and its outbox entry commit together
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a username + IP pair that is locked out
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:my_cases"
LOGOUT_REDIRECT_URL = "web:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "icmc.web.context.actor",
                "icmc.fieldnode.context.node",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------------------
_default_sqlite = f"sqlite:///{VAR_DIR / 'icmc.sqlite3'}"
# Persistent connections (with a health check) save a connection set-up per request on PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _default_sqlite),
        conn_max_age=int(os.environ.get("ICMC_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at BEGIN so two
        # writers queue instead of failing half-way ("database is locked" on upgrade).
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: its compile time (~150 ms) was most of a short OLTP query's cost at 100,000 cases (a case list's
    # count: 460 -> 300 ms); these queries never run long enough to win it back (docs/benchmarks.md).
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"]["options"] = " ".join(
        filter(None, [DATABASES["default"]["OPTIONS"].get("options", ""), "-c jit=off"]))
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- passwords ------------------------------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- i18n and time --------------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("hi", _("Hindi")),
    ("bn", _("Bengali")),
    ("ne", _("Nepali")),
    ("my", _("Burmese")),
]
LOCALE_PATHS = [BASE_DIR / "icmc" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Kolkata"

# --- static ---------------------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"

# --- sessions, cookies, headers -------------------------------------------------------------------------
# Idle timeout 15 min (sliding: icmc.identity.middleware moves the server-side expiry at most once a minute) and
# an absolute lifetime of 10 h counted from the password step. Step-up needs the second factor within 5 min.
ICMC_SESSION_IDLE_SECONDS = 15 * 60
ICMC_SESSION_ABSOLUTE_SECONDS = 10 * 60 * 60
ICMC_STEP_UP_SECONDS = 5 * 60
SESSION_COOKIE_AGE = ICMC_SESSION_IDLE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# django-csp 4: no inline script or style anywhere; a nonce is available for a script that must be inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    },
}

# --- second factor and login throttling -----------------------------------------------------------------
OTP_TOTP_ISSUER = "ICMC"
# Passkeys (WebAuthn, django-otp-webauthn) for the roles of icmc.access.policy.PASSKEY_ROLES. Off by default in
# development so that the demo logins (password + the demo TOTP key) keep working; on in production.
ICMC_PASSKEYS_REQUIRED = os.environ.get("ICMC_PASSKEYS_REQUIRED", "1" if PRODUCTION else "0") == "1"
ICMC_WEBAUTHN_RP_ID = os.environ.get("ICMC_WEBAUTHN_RP_ID", "")
OTP_WEBAUTHN_RP_ID_CALLABLE = "icmc.identity.passkeys.relying_party_id"
OTP_WEBAUTHN_RP_NAME = "ICMC"
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False  # a passkey is the second factor, after the password
# Default: production is served over HTTPS on its ALLOWED_HOSTS; development on http://localhost:8000 (passkeys
# need a domain name: use localhost, not 127.0.0.1).
OTP_WEBAUTHN_ALLOWED_ORIGINS = [o for o in os.environ.get("ICMC_WEBAUTHN_ORIGINS", "").split(",") if o] or (
    [f"https://{host}" for host in ALLOWED_HOSTS if host and not host.startswith(".") and host != "*"]
    if PRODUCTION else ["http://localhost:8000"]
)
# django-axes: 5 wrong passwords for one username from one IP address pause that pair for 15 minutes. Other
# addresses are not affected, so nobody can lock a user out everywhere; the answer does not depend on whether
# the user exists.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "identity/locked_out.html"
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["password", "code"]
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- logging: never personal data; request ids only -----------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django logs full request paths and bodies on errors; paths carry only UUIDs here, never names.
        "django.request": {"level": "WARNING"},
        "axes": {"level": "WARNING"},  # successful logins are audit events, not log lines
        "django.server": {"level": "WARNING" if ICMC_ENV == "test" else "INFO"},
    },
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

# --- ICMC -----------------------------------------------------------------------------------------------
ICMC_PAGE_SIZE = 25
ICMC_DEMO_ALLOWED = not PRODUCTION

# --- field node (docs/sync.md, "Field node") ------------------------------------------------------------
ICMC_NODE_MODE = os.environ.get("ICMC_NODE_MODE", "centre")
if ICMC_NODE_MODE not in {"centre", "field"}:
    raise ImproperlyConfigured(f"ICMC_NODE_MODE must be centre or field, not {ICMC_NODE_MODE!r}")
ICMC_UPSTREAM_URL = os.environ.get("ICMC_UPSTREAM_URL", "")
ICMC_NODE_FILE = Path(os.environ.get("ICMC_NODE_FILE", VAR_DIR / "node.json"))
ICMC_NODE_KEY_FILE = Path(os.environ.get("ICMC_NODE_KEY_FILE", VAR_DIR / "node_key"))
