"""Django settings, read from environment variables only.

Variables (all optional in the demo, see ``docs/operations.md``):

- ``BESA_DATABASE_URL``: ``sqlite:///path.db`` or ``postgresql://user@host:port/name``.
  Default: the embedded SQLite database ``var/besa.sqlite3`` under the working directory.
- ``BESA_SECRET_KEY``: required unless ``BESA_DEBUG`` is on.
- ``BESA_DEBUG``: ``1``/``true`` turns debug on; off by default (safe for production).
- ``BESA_ALLOWED_HOSTS``: comma-separated host names; required unless ``BESA_DEBUG`` is on.
- ``BESA_JURISDICTION``: a shipped jurisdiction code (``mx-federal``, ``mx-sonora``) or a path
  to a TOML file; default ``mx-federal``.
- ``BESA_DOCUMENT_STORAGE``: ``local`` (default, ``BESA_VAR_DIR/documents`` or
  ``BESA_DOCUMENT_DIR``) or ``s3`` (``BESA_S3_BUCKET``, ``BESA_S3_ENDPOINT_URL``,
  ``BESA_S3_REGION``, ``BESA_S3_PREFIX``); ``BESA_DOCUMENT_MAX_BYTES``, ``BESA_DOCUMENT_TYPES``.
- Sign-in and HTTPS (``docs/operations.md``, "Sign-in security"): ``BESA_LOGIN_FAILURES``,
  ``BESA_LOGIN_LOCKOUT_MINUTES``, ``BESA_SESSION_IDLE_MINUTES``, ``BESA_TRUSTED_PROXIES``,
  ``BESA_PROXY_SSL_HEADER``, ``BESA_SSL_REDIRECT``, ``BESA_HSTS_SECONDS``,
  ``BESA_HSTS_INCLUDE_SUBDOMAINS``, ``BESA_HSTS_PRELOAD``; ``BESA_DEMO`` (set by ``besa demo``).
- ``BESA_EMAIL_BACKEND``: ``smtp``, ``console``, ``file`` (``BESA_EMAIL_FILE_PATH``) or a
  dotted backend path; with SMTP,
  ``BESA_EMAIL_HOST``, ``BESA_EMAIL_PORT``, ``BESA_EMAIL_HOST_USER``,
  ``BESA_EMAIL_HOST_PASSWORD``, ``BESA_EMAIL_USE_TLS`` or ``BESA_EMAIL_USE_SSL`` and
  ``BESA_EMAIL_TIMEOUT``; ``BESA_EMAIL_FROM`` is the sender.

A missing or malformed production setting stops start-up with ``ConfigurationError`` naming it,
rather than running with an insecure default; the ``besa`` command prints it as one line.
Production without ``BESA_EMAIL_BACKEND`` is refused by ``besa.cli.startup`` (the e-mails would
only be printed), not here, so that test runs need not choose a backend.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url

from besa.exceptions import ConfigurationError
from besa.signin.addresses import networks

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("BESA_VAR_DIR", Path.cwd() / "var"))


_YES = frozenset({"1", "true", "yes", "on"})
_NO = frozenset({"0", "false", "no", "off"})


def _flag(name: str, default: bool = False) -> bool:
    """A yes/no variable: unset or empty is ``default``; anything but 1/0, true/false, yes/no,
    on/off is a ``ConfigurationError`` (a typo must not silently mean "off")."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise ConfigurationError(f"{name}={value!r} is not a yes/no value: use 1 or 0")


def _integer(name: str, default: int, minimum: int = 1) -> int:
    """A whole-number variable; unset or empty is ``default``."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        number = minimum - 1
    if number < minimum:
        raise ConfigurationError(f"{name}={value!r} is not a whole number >= {minimum}")
    return number


DEBUG = _flag("BESA_DEBUG")

#: The demo's conveniences (``besa demo`` sets it): the sign-in pages show how to get the demo
#: accounts' second-factor codes. ``besa check --deploy`` refuses it (besa.security).
BESA_DEMO = _flag("BESA_DEMO")

#: Shortest secret accepted: Django's own deployment check asks for 50 characters.
MIN_SECRET_LENGTH = 50
_secret = os.environ.get("BESA_SECRET_KEY", "")
if not _secret:
    if not DEBUG:
        raise ConfigurationError(
            "BESA_SECRET_KEY is not set: production needs a long random secret "
            "(or set BESA_DEBUG=1 for a local demo)"
        )
    _secret = "besa-insecure-development-key-never-use-in-production"
if len(_secret) < MIN_SECRET_LENGTH:
    # A short secret signs sessions and password-reset links that can be forged offline.
    raise ConfigurationError(
        f"BESA_SECRET_KEY is {len(_secret)} characters long: use at least {MIN_SECRET_LENGTH} "
        "random characters (python3 -c 'import secrets; print(secrets.token_urlsafe(50))')"
    )
SECRET_KEY = _secret

_hosts = [h.strip() for h in os.environ.get("BESA_ALLOWED_HOSTS", "").split(",") if h.strip()]
if not _hosts and not DEBUG:
    raise ConfigurationError(
        "BESA_ALLOWED_HOSTS is not set: list the host names this deployment answers to"
    )
ALLOWED_HOSTS = _hosts or ["127.0.0.1", "localhost", "testserver"]

_db_url = os.environ.get("BESA_DATABASE_URL") or f"sqlite:///{VAR_DIR / 'besa.sqlite3'}"
try:
    _db = dj_database_url.parse(_db_url, conn_max_age=60)
except Exception as exc:  # dj_database_url raises bare ValueErrors/KeyErrors for bad URLs
    raise ConfigurationError(f"BESA_DATABASE_URL is not a valid database URL: {exc}") from exc
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the worker writes; the busy timeout makes
    # concurrent writers wait instead of failing with "database is locked".
    _db["CONN_MAX_AGE"] = 0
    _db["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    _db.setdefault("TEST", {})["NAME"] = ""  # in-memory test database
elif _db["ENGINE"].endswith("postgresql"):
    _db["ENGINE"] = "django.db.backends.postgresql"
else:
    raise ConfigurationError(
        f"BESA_DATABASE_URL: unsupported engine {_db['ENGINE']!r} (use sqlite or postgresql)"
    )
DATABASES = {"default": _db}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "besa.registry",
    "besa.logbook",
    "besa.alerts",
    "besa.interop",
    "besa.documents",
    "besa.risk",
    "besa.audits",
    "besa.reports",
    "besa.api",
    "besa.web",
    "besa.portal",
    "besa.complaints",
    "besa.jobs",
    "besa.cli",
    "besa.signin",
    "besa.accesslog",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "ninja",  # its bundled Swagger files, so /api/docs never loads from a CDN
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "besa.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "besa.signin.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into BESA's lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "besa.urls"
WSGI_APPLICATION = "besa.wsgi.application"
AUTH_USER_MODEL = "registry.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "landing"  # each role lands on its work (besa.web.alerts.landing)
LOGOUT_REDIRECT_URL = "home"
# A stale or missing form token answers with BESA's own translated 403 page.
CSRF_FAILURE_VIEW = "besa.web.errors.csrf_failure"

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
                "besa.web.context.jurisdiction",
                "besa.signin.context.second_factor",
            ],
        },
    },
]

# Argon2id (memory-hard) for new and changed passwords; older PBKDF2 hashes still verify and
# are upgraded to Argon2 at the next successful sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# django-axes checks the lock-out before the password (besa.signin, docs/operations.md).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "es"
LANGUAGES = [("es", "Español"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# Mexican number formats for the Spanish UI (decimal point), see besa/formats/es/formats.py.
FORMAT_MODULE_PATH = ["besa.formats"]
TIME_ZONE = "America/Mexico_City"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# collectstatic target for deployments that serve static files from disk; without it WhiteNoise
# serves them straight from the installed package (finders).
STATIC_ROOT = os.environ.get("BESA_STATIC_ROOT") or None


def _document_storage() -> dict[str, object]:
    """Where evidence documents are kept (``besa.documents.store``): the local disk under the
    var dir by default; ``BESA_DOCUMENT_STORAGE=s3`` selects S3-compatible object storage
    (django-storages) with ``BESA_S3_BUCKET`` (required), ``BESA_S3_ENDPOINT_URL`` (MinIO,
    Ceph…), ``BESA_S3_REGION`` and ``BESA_S3_PREFIX``; credentials come from the usual AWS
    variables or the instance role (boto3), never from BESA's settings."""
    kind = os.environ.get("BESA_DOCUMENT_STORAGE", "").strip().lower() or "local"
    if kind == "local":
        location = os.environ.get("BESA_DOCUMENT_DIR") or str(VAR_DIR / "documents")
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location, "base_url": None},
        }
    if kind == "s3":
        bucket = os.environ.get("BESA_S3_BUCKET", "").strip()
        if not bucket:
            raise ConfigurationError("BESA_S3_BUCKET is not set: name the documents' bucket")
        options: dict[str, object] = {
            "bucket_name": bucket,
            "location": os.environ.get("BESA_S3_PREFIX", "documents").strip(),
            "default_acl": None,  # private objects: BESA serves them after its own check
            "querystring_auth": True,
            "file_overwrite": False,
        }
        if os.environ.get("BESA_S3_ENDPOINT_URL", "").strip():
            options["endpoint_url"] = os.environ["BESA_S3_ENDPOINT_URL"].strip()
        if os.environ.get("BESA_S3_REGION", "").strip():
            options["region_name"] = os.environ["BESA_S3_REGION"].strip()
        return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
    raise ConfigurationError(f"BESA_DOCUMENT_STORAGE={kind!r} is not a storage: use local or s3")


STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "documents": _document_storage(),
}
WHITENOISE_USE_FINDERS = True  # serve app static files without a collectstatic step

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
if not DEBUG:
    SESSION_COOKIE_SECURE = _flag("BESA_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Sessions end after BESA_SESSION_IDLE_MINUTES without a request: every request pushes the
# expiry forward (one session write per request), and closing the browser ends it too.
SESSION_COOKIE_AGE = _integer("BESA_SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Behind the reverse proxy (docs/operations.md, "Behind a reverse proxy").
#: Addresses (or networks, CIDR) of the reverse proxies whose X-Forwarded-For is believed;
#: empty: the client's address is the connection's (besa.signin.addresses).
BESA_TRUSTED_PROXIES = tuple(
    p.strip() for p in os.environ.get("BESA_TRUSTED_PROXIES", "").split(",") if p.strip()
)
try:
    networks(BESA_TRUSTED_PROXIES)
except ValueError as exc:
    raise ConfigurationError(f"BESA_TRUSTED_PROXIES: {exc}") from exc
if _flag("BESA_PROXY_SSL_HEADER"):
    # The proxy terminates TLS and says so in X-Forwarded-Proto; it must overwrite any such
    # header a client sends, or a client could claim HTTPS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = _flag("BESA_SSL_REDIRECT", _flag("BESA_PROXY_SSL_HEADER"))
SECURE_HSTS_SECONDS = _integer("BESA_HSTS_SECONDS", 0 if DEBUG else 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("BESA_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = _flag("BESA_HSTS_PRELOAD")
SECURE_REFERRER_POLICY = "same-origin"
if not SECURE_HSTS_PRELOAD:
    # Preloading binds the whole domain to HTTPS in every browser for months: a decision of
    # the domain's owner (BESA_HSTS_PRELOAD=1), not a default for Django to nag about.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Content Security Policy (django-csp): scripts and styles only from BESA's own static files,
# never inline (templates carry no <script> body and no on*= handler); inline SVG charts keep
# their style attributes, hence 'unsafe-inline' for styles only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# Login throttling (django-axes, database-backed, so every process sees the same counts):
# BESA_LOGIN_FAILURES wrong passwords lock the account, and separately the client address,
# for BESA_LOGIN_LOCKOUT_MINUTES; a correct password does not unlock early.
AXES_FAILURE_LIMIT = _integer("BESA_LOGIN_FAILURES", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=_integer("BESA_LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# A try while locked (a script that keeps going) starts the period again.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_CALLABLE = "besa.signin.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "besa.signin.addresses.client_address_of"
AXES_VERBOSE = False
# django-otp: the TOTP issuer shown by authenticator apps.
OTP_TOTP_ISSUER = "BESA"
# Codes one step (30 s) early or late are accepted, and the window stays put: following a
# phone's drift would let a run of accepted late codes walk the window forward.
OTP_TOTP_SYNC = False

#: Short names accepted by BESA_EMAIL_BACKEND; any other value must be a dotted class path.
EMAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    # One file per message in BESA_EMAIL_FILE_PATH: a pickup directory for another mailer,
    # and the outbox the crash and load harnesses count (bench/ops).
    "file": "django.core.mail.backends.filebased.EmailBackend",
}
_email_backend = os.environ.get("BESA_EMAIL_BACKEND", "").strip()
if _email_backend and _email_backend not in EMAIL_BACKENDS and "." not in _email_backend:
    raise ConfigurationError(
        f"BESA_EMAIL_BACKEND={_email_backend!r} is not a backend: use smtp, console, file or a "
        "dotted class path"
    )
EMAIL_BACKEND = EMAIL_BACKENDS.get(_email_backend or "console", _email_backend)
#: Whether BESA_EMAIL_BACKEND was stated; production refuses the console default otherwise.
BESA_EMAIL_BACKEND_CHOSEN = bool(_email_backend)
#: Where the ``file`` backend writes each message (one file per message).
EMAIL_FILE_PATH = os.environ.get("BESA_EMAIL_FILE_PATH", "").strip() or str(VAR_DIR / "mail")
EMAIL_HOST = os.environ.get("BESA_EMAIL_HOST", "").strip() or "localhost"
EMAIL_PORT = _integer("BESA_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("BESA_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("BESA_EMAIL_HOST_PASSWORD", "")
if bool(EMAIL_HOST_USER) != bool(EMAIL_HOST_PASSWORD):
    _missing = "BESA_EMAIL_HOST_PASSWORD" if EMAIL_HOST_USER else "BESA_EMAIL_HOST_USER"
    raise ConfigurationError(f"{_missing} is not set: SMTP login needs both user and password")
EMAIL_USE_TLS = _flag("BESA_EMAIL_USE_TLS")
EMAIL_USE_SSL = _flag("BESA_EMAIL_USE_SSL")
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ConfigurationError(
        "BESA_EMAIL_USE_TLS and BESA_EMAIL_USE_SSL are both on: choose one (TLS: STARTTLS, "
        "usually port 587; SSL: implicit TLS, usually port 465)"
    )
#: Seconds before an unresponsive SMTP server fails a delivery (retried by the worker).
EMAIL_TIMEOUT = _integer("BESA_EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = os.environ.get("BESA_EMAIL_FROM", "besa@localhost")
#: How long a worker holds the notifications it claimed, and the contracts a deadline sweep
#: claimed, before another worker may take them: the wait after a worker dies (SIGKILL).
#: Must exceed the longest batch (50 sends at BESA_EMAIL_TIMEOUT; 500 contract evaluations).
BESA_NOTIFICATION_LEASE_SECONDS = _integer("BESA_NOTIFICATION_LEASE_SECONDS", 120)
BESA_SWEEP_LEASE_SECONDS = _integer("BESA_SWEEP_LEASE_SECONDS", 300)
#: The site's public address, for links in e-mails (the monthly report's unsubscribe link).
BESA_PUBLIC_URL = os.environ.get("BESA_PUBLIC_URL", "").strip()

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO" if not DEBUG else "DEBUG"},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint and fontTools narrate every PDF at INFO ("Step 2 - Fetching and parsing
        # CSS"): noise in a server log, and it broke the commands' one-line errors.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
