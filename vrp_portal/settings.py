"""Settings for the VRP portal, driven by environment variables.

Development is safe by default (DEBUG on via `make run`, SQLite); production
fails loudly when something it needs is missing.
"""

import datetime as dt
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-development-key-not-for-production")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="")
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. Set it in the environment or in .env, "
            "or set DEBUG=True for development."
        )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_include_bootstrap",
    "django_htmx",
    "django_filters",
    "simple_history",
    "axes",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.usersessions",
    "django_tasks",
    "django_tasks_db",
    # The portal, floor by floor: core imports no app, and each app imports only the
    # ones above it in this list (tests/guards/test_layers.py).
    "core",
    "members",
    "meetings",
    "actions",
    "tracker",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Every log line a request causes, from here down, carries its id (core.requestid).
    "core.middleware.RequestIdMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before the two below, so their redirects are marked private and no-store too.
    "core.middleware.PrivateNoStoreMiddleware",
    "core.middleware.SessionLifetimeMiddleware",
    "core.middleware.SecondFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks, so it sees the outcome of every sign-in.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "vrp_portal.urls"
WSGI_APPLICATION = "vrp_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.roles",
                "core.context_processors.partnership",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# A kept connection is checked before each request reuses it, so a database restart or a
# connection the network dropped costs a reconnect, not a failed request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# NCSC guidance: length over composition. At least 12 characters, no maximum below
# Django's own (4096), no rules about character classes, and not a common password.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "account_login"
# An invitation (a one-time link to choose a password) and a reset link work for 3 days.
PASSWORD_RESET_TIMEOUT = 3 * 24 * 60 * 60

# Sign-in: django-allauth, by email only. Nobody signs up: VRU staff add people.
ACCOUNT_ADAPTER = "core.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "optional"
# One address per account; a new one takes effect only once it is confirmed, and
# the old address is told.
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 5 * 60
ACCOUNT_PREVENT_ENUMERATION = True
# A reset asked for an unknown address sends nothing: no mail to strangers.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# The portal's own name: every page title ends with it ("Dashboard – VRP portal").
PORTAL_NAME = env.str("PORTAL_NAME", default="VRP portal")
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"{PORTAL_NAME}: "
ACCOUNT_FORMS = {
    "login": "core.forms.LoginForm",
    "reset_password": "core.forms.ResetPasswordForm",
}
# Throttles (allauth's, kept in the cache): failed sign-ins from one client address
# whatever the email, and emails one address or one client may cause. The lock-out
# of an email at one client address is django-axes', below, kept in the database.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "30/15m/ip",
    "reset_password": "20/1h/ip,3/1h/key",
    "reset_password_from_key": "20/1h/ip",
    "change_password": "5/5m/user",
    "manage_email": "10/1h/user",
    "reauthenticate": "10/5m/user",
    "confirm_email": "3/1h/key",
    # The portal's own: invitations VRU staff send (members.people_views).
    "invitation": "3/1h/key,30/1h/ip",
}
# The number of reverse proxies in front of the portal that append the client's
# address to X-Forwarded-For. 0 (the default) trusts no header: the client is the
# connection's own address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

# Second factor: TOTP with recovery codes, and security keys or passkeys (WebAuthn).
# Required for VRU staff, the chair and superusers (core.middleware); optional for
# members. The demo (`make run`) may turn the requirement off; with DEBUG off it is
# always on, and a system check refuses a configuration that says otherwise.
MFA_ADAPTER = "core.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = PORTAL_NAME
MFA_RECOVERY_CODE_COUNT = 10
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# Nobody signs up, so an unconfirmed address is one VRU staff asked for: it must not
# stop its holder setting up the second factor they are required to have.
MFA_ALLOW_UNVERIFIED_EMAIL = True
REQUIRE_SECOND_FACTOR = env.bool("REQUIRE_SECOND_FACTOR", default=True)

# Sign in with Microsoft (Entra ID, OpenID Connect), offered only when configured.
SOCIALACCOUNT_ADAPTER = "core.adapters.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
MICROSOFT_TENANT_ID = env.str("MICROSOFT_TENANT_ID", default="")
MICROSOFT_CLIENT_ID = env.str("MICROSOFT_CLIENT_ID", default="")
MICROSOFT_CLIENT_SECRET = env.str("MICROSOFT_CLIENT_SECRET", default="")
# The issuer's address; only tests point it elsewhere (a local OpenID provider).
MICROSOFT_SERVER_URL = (
    env.str("MICROSOFT_SERVER_URL", default="")
    or f"https://login.microsoftonline.com/{MICROSOFT_TENANT_ID}/v2.0"
)
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": "microsoft",
                "name": "Microsoft",
                "client_id": MICROSOFT_CLIENT_ID,
                "secret": MICROSOFT_CLIENT_SECRET,
                "settings": {"server_url": MICROSOFT_SERVER_URL},
            }
        ]
        if MICROSOFT_TENANT_ID and MICROSOFT_CLIENT_ID and MICROSOFT_CLIENT_SECRET
        else [],
    }
}

# Members sign in a few times a year: a locked-out member waits an hour, not forever.
# Failures count per normalised email at one client address, so nobody elsewhere can
# lock the chair out.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "core.security.login_email"
AXES_CLIENT_IP_CALLABLE = "core.security.client_ip"
# Keep no log of sign-ins and sign-outs in the database (UK GDPR: data minimisation);
# failed attempts are kept for lock-outs and cleared by a successful sign-in. Security
# events go to the log instead (core.security), by user id.
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_TEMPLATE = "account/locked_out.html"
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)

# Sessions: 30 minutes idle (sliding) and 12 hours at most, both checked by
# core.middleware so that the person is told and the end is logged; the store keeps a
# session no longer than the absolute limit, and the cookie ends with the browser.
SESSION_IDLE_AGE = 30 * 60
SESSION_ABSOLUTE_AGE = 12 * 60 * 60
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_AGE
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
USERSESSIONS_TRACK_ACTIVITY = False

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English")]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Development prints emails to the console; production must name a real server
# (core.checks refuses to start without one).
EMAIL_URL = env.str("EMAIL_URL", default="consolemail://" if DEBUG else "")
EMAIL_CONFIG = environ.Env.email_url_config(EMAIL_URL) if EMAIL_URL else {}
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="vrp-portal@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Absolute links in emails (reminders) and calendar feeds.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000" if DEBUG else "").rstrip("/")

# The partnership the portal serves, as its documents name it; another partnership sets its own.
PARTNERSHIP_NAME = env.str(
    "PARTNERSHIP_NAME",
    default="Hampshire, Isle of Wight, Portsmouth and Southampton Violence Reduction Partnership",
)
PARTNERSHIP_SHORT_NAME = env.str("PARTNERSHIP_SHORT_NAME", default="HIPS VRP")
# PORTAL_NAME, the portal's own name, is set above (allauth's settings use it).
# The logo in the navigation bar, a path under static/. It sits on the primary colour, so
# it must read there: the default is the light variant of the wordmark static/img/logo.svg.
PARTNERSHIP_LOGO = env.str("PARTNERSHIP_LOGO", default="img/logo-light.svg")
# The partnership's colours: primary (the navigation bar, buttons, links; white text sits
# on it) and accent (the focus indicator, drawn on the primary colour and on white with a
# ring of the primary colour). E.g. PARTNERSHIP_COLOURS=primary=#005a70,accent=#ffdd00
DEFAULT_PARTNERSHIP_COLOURS = {"primary": "#3b1f5c", "accent": "#ffbf47"}
PARTNERSHIP_COLOURS = DEFAULT_PARTNERSHIP_COLOURS | env.dict("PARTNERSHIP_COLOURS", default={})


def _hex_colour(name: str, value: str) -> str:
    """'#RRGGBB' (or '#RGB', with or without '#') as '#rrggbb'; anything else stops start-up."""
    digits = value.strip().lstrip("#").lower()
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    if len(digits) != 6 or any(digit not in "0123456789abcdef" for digit in digits):
        raise ImproperlyConfigured(
            f"PARTNERSHIP_COLOURS {name}={value!r} is not a hex colour such as #3b1f5c."
        )
    return f"#{digits}"


def _contrast(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two '#rrggbb' colours."""

    def luminance(colour: str) -> float:
        srgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in srgb]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


if unknown := set(PARTNERSHIP_COLOURS) - set(DEFAULT_PARTNERSHIP_COLOURS):
    raise ImproperlyConfigured(
        f"PARTNERSHIP_COLOURS names {', '.join(sorted(unknown))}: "
        f"it takes only {' and '.join(DEFAULT_PARTNERSHIP_COLOURS)}."
    )
PARTNERSHIP_COLOURS = {name: _hex_colour(name, v) for name, v in PARTNERSHIP_COLOURS.items()}
# WCAG 2.2 AA, whatever the colours: white text on the navigation bar and on buttons
# (4.5:1), and the focus indicator against the bar and, by its primary ring, white (3:1).
for _name, _against, _colour, _needed in (
    ("primary", "white text", "#ffffff", 4.5),
    ("accent", "the primary colour", PARTNERSHIP_COLOURS["primary"], 3),
):
    _ratio = _contrast(PARTNERSHIP_COLOURS[_name], _colour)
    if _ratio < _needed:
        raise ImproperlyConfigured(
            f"PARTNERSHIP_COLOURS {_name}={PARTNERSHIP_COLOURS[_name]} has a contrast of "
            f"{_ratio:.1f}:1 with {_against}; WCAG 2.2 AA needs at least {_needed}:1."
        )
# The Government Security Classification marking on every page of the quarterly update.
PROTECTIVE_MARKINGS = ("OFFICIAL", "OFFICIAL-SENSITIVE")
PROTECTIVE_MARKING = env.str("PROTECTIVE_MARKING", default="OFFICIAL")
if PROTECTIVE_MARKING not in PROTECTIVE_MARKINGS:
    raise ImproperlyConfigured(
        f"PROTECTIVE_MARKING must be one of {', '.join(PROTECTIVE_MARKINGS)}."
    )

# The accessibility statement (/accessibility/): where people ask for another format or
# report a problem, and the dates the statement gives for when it was written and checked.
ACCESSIBILITY_CONTACT_EMAIL = env.str("ACCESSIBILITY_CONTACT_EMAIL", default=DEFAULT_FROM_EMAIL)
ACCESSIBILITY_STATEMENT_PREPARED = env.str(
    "ACCESSIBILITY_STATEMENT_PREPARED", default="2 December 2026"
)
ACCESSIBILITY_STATEMENT_REVIEWED = env.str(
    "ACCESSIBILITY_STATEMENT_REVIEWED", default=ACCESSIBILITY_STATEMENT_PREPARED
)

# Django's form rendering, with selects drawn in Python: long lists cost a template each.
FORM_RENDERER = "core.widgets.FormRenderer"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_TAGS = {40: "danger"}  # Bootstrap calls Django's "error" level "danger".

# Security: strict by default outside development.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# The health checks answer plain http: the container's HEALTHCHECK calls them from inside.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$", r"^readyz/$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Outside development cookies travel over https only, whatever terminates TLS; the
# __Host- prefix makes the browser refuse them over http or for another domain.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_NAME = "sessionid" if DEBUG else "__Host-sessionid"
CSRF_COOKIE_NAME = "csrftoken" if DEBUG else "__Host-csrftoken"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = ["security.W021"]  # HSTS preload is a decision for the host.

# A strict Content-Security-Policy: every script and style comes from our own origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# Logs carry no personal data: requests are logged by path and status only.
# Every line is one JSON object (core.logformat): UTC time, level, logger, message, the id
# of the request or job that caused it, and an exception's class and traceback.
# LOG_FORMAT=text writes plain lines instead, for a terminal (`make run`).
# Security events (core.security) are JSON whatever LOG_FORMAT says: UTC time, event, user
# id, client address and path; never an email or a name.
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured("LOG_FORMAT must be json or text.")
LOG_LEVEL = env.str("LOG_LEVEL", default="WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.requestid.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "core.logformat.JsonFormatter"},
        "text": {"()": "core.logformat.TextFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        },
        "security": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own lines (a 500's path and traceback, a 404's path) go through the
        # console handler once, in its format: this drops the handlers Django's default
        # logging gives them (a plain console under DEBUG; mail to ADMINS, which is unset).
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "vrp.security": {"handlers": ["security"], "level": "INFO", "propagate": False},
    },
}

# Error reports to Sentry, only when SENTRY_DSN is set: otherwise nothing of Sentry is
# imported. They carry no personal data: no user, client address, cookies or sensitive
# headers (send_default_pii=False), no local variables of the failing code, no request
# body or query string (core.logformat.sentry_before_send), and no security events.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.logging import ignore_logger

    from core.logformat import sentry_before_send

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration()],
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=sentry_before_send,
    )
    ignore_logger("vrp.security")

# Prometheus metrics (django-prometheus) at /metrics/, only when PROMETHEUS_ENABLED, and
# only for a scraper that sends `Authorization: Bearer <PROMETHEUS_METRICS_TOKEN>`
# (portal.health.metrics); anyone else gets 404. Each gunicorn worker counts on its own
# unless PROMETHEUS_MULTIPROC_DIR names a directory they share (prometheus_client's
# multiprocess mode, read from the environment): set it whenever there is more than one
# worker, empty it before gunicorn starts, and mark each worker that exits as dead
# (gunicorn's child_exit hook). Off: django_prometheus is neither installed nor imported.
PROMETHEUS_ENABLED = env.bool("PROMETHEUS_ENABLED", default=False)
PROMETHEUS_METRICS_TOKEN = env.str("PROMETHEUS_METRICS_TOKEN", default="")
if PROMETHEUS_ENABLED:
    if len(PROMETHEUS_METRICS_TOKEN) < 32:
        raise ImproperlyConfigured(
            "PROMETHEUS_ENABLED needs PROMETHEUS_METRICS_TOKEN, at least 32 characters: "
            'python -c "import secrets; print(secrets.token_urlsafe(32))"'
        )
    if multiprocess_dir := env.str("PROMETHEUS_MULTIPROC_DIR", default=""):
        Path(multiprocess_dir).mkdir(parents=True, exist_ok=True)
    INSTALLED_APPS.append("django_prometheus")
    # First and last, so that they time and count everything the others do.
    MIDDLEWARE.insert(0, "django_prometheus.middleware.PrometheusBeforeMiddleware")
    MIDDLEWARE.append("django_prometheus.middleware.PrometheusAfterMiddleware")

# The cache holds allauth's throttles and, with Redis, the sessions: shared by every app
# server when REDIS_URL is set. Its keys start with REDIS_KEY_PREFIX, so two deployments
# can share one Redis; a Redis that stops answering fails a request in seconds, not minutes.
REDIS_URL = env.str("REDIS_URL", default="")
REDIS_KEY_PREFIX = env.str("REDIS_KEY_PREFIX", default="vrp")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": REDIS_KEY_PREFIX,
            "OPTIONS": {
                "socket_connect_timeout": 2,
                "socket_timeout": 2,
                "health_check_interval": 30,
            },
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Sessions are read from Redis and written through to the database, so a Redis restart
# signs nobody out, and a person's sessions can still be listed and ended
# (allauth.usersessions, core.signals). Without Redis, the database alone.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)
FORMAT_MODULE_PATH = ["core.formats"]

# Background jobs (core.jobs): emails and the documents they carry are sent by a worker
# (`manage.py db_worker`), not by the request that asks for them. django-tasks' database
# backend keeps the queue in PostgreSQL, so a job is queued in the same transaction as the
# record of what it will do: it is never queued for something that did not happen, and
# never lost by a Redis restart. TASKS_BACKEND=immediate runs each job at once, inside the
# request: the demo (`make run`) and the tests, which have no worker.
TASKS_BACKEND = env.str("TASKS_BACKEND", default="database")
if TASKS_BACKEND not in ("database", "immediate"):
    raise ImproperlyConfigured("TASKS_BACKEND must be database or immediate.")
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if TASKS_BACKEND == "database"
            else "django_tasks.backends.immediate.ImmediateBackend"
        ),
        "QUEUES": ["default"],
    }
}
# A job that fails for a reason that may pass (the mail server, the network) is tried again
# after each of these delays in seconds, then reported to VRU staff as failed.
JOB_RETRY_DELAYS = [60, 5 * 60, 15 * 60, 60 * 60]
# When the scheduler (`manage.py run_scheduler`) queues each day's action reminders, in
# London time: HH:MM.
REMINDERS_AT = dt.time.fromisoformat(env.str("REMINDERS_AT", default="07:00"))
