"""Settings for the site, read from environment variables.

A fresh clone runs on SQLite with no variables set; production sets at least SECRET_KEY,
ALLOWED_HOSTS and DATABASE_URL. DEBUG is off unless asked for.
"""

import base64
import hashlib
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from redis.backoff import NoBackoff
from redis.retry import Retry

BASE_DIR = Path(__file__).resolve().parent.parent

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in TRUE_WORDS:
        return True
    if value.strip().lower() in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}"
    )


def env_list(name, default=()):
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_float(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number; got {value!r}") from None


def env_int(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {value!r}") from None


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
# Rotating SECRET_KEY: put the old key here (comma-separated) for as long as sessions and shared
# preview links signed with it should keep working, then remove it.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG-on"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "siteconf.apps.AdminConfig",  # the admin, signed in with a second factor (siteconf.admin)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    # Background tasks (articles/tasks.py): before articles, whose admin renames their results.
    "django_tasks",
    "django_tasks_db",
    # Before taggit, so that our remove_orphaned_tags command replaces taggit's.
    "articles",
    "taggit",
    "ninja",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "simple_history",
]

MIDDLEWARE = [
    "siteconf.logs.RequestIdMiddleware",
    "siteconf.scripts.TraditionalMiddleware",  # /hant/…: before anything reads the path
    "siteconf.limits.RequestSizeMiddleware",
    "siteconf.replicas.ReplicaMiddleware",  # before anything reads the database
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "siteconf.health.DatabaseDownMiddleware",
    "siteconf.security.BadDataMiddleware",
    # Last, as django-axes asks: it turns a lock-out raised by its backend into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "siteconf.urls"
WSGI_APPLICATION = "siteconf.wsgi.application"

# The publication's name: page titles, the header, feeds, share cards and the admin.
SITE_NAME = os.environ.get("SITE_NAME", "区域经济观察")
# The pages under /hant/: OpenCC's s2t (characters only), s2tw (Taiwan forms), s2twp (Taiwan
# forms and phrasing) or s2hk (Hong Kong forms).
# The site's address as readers reach it: the links in subscription mails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
TRADITIONAL_VARIANT = os.environ.get("TRADITIONAL_VARIANT", "s2t")
if TRADITIONAL_VARIANT not in ("s2t", "s2tw", "s2twp", "s2hk"):
    raise ImproperlyConfigured("TRADITIONAL_VARIANT: s2t, s2tw, s2twp or s2hk")
# The footer's lines: an about page's address, a contact address, the copyright line and the
# ICP filing number (备案号, linked to the MIIT's register as the rules ask); empty ones are left out.
SITE_FOOTER = {
    "about": os.environ.get("SITE_ABOUT_URL", ""),
    "contact": os.environ.get("SITE_CONTACT_EMAIL", ""),
    "copyright": os.environ.get("SITE_COPYRIGHT", ""),  # empty: © SITE_NAME 版权所有…
    "icp": os.environ.get("SITE_ICP", ""),
}

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
                "articles.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
# Our own wording of Django's admin messages (one register, Chinese punctuation), before Django's.
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates as the rest of the admin writes them (2026-11-30 16:58): site/formats/.
FORMAT_MODULE_PATH = ["siteconf.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"  # absolute: not under /hant/ (site/scripts.py)
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Without a collected manifest (tests, a fresh clone) fall back to the unhashed names.
WHITENOISE_MANIFEST_STRICT = False

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Tags: Chinese separators and name normalisation live in articles.tagging; aliases are
# resolved by articles.editorial.tag_care.
TAGGIT_CASE_INSENSITIVE = True
TAGGIT_TAGS_FROM_STRING = "articles.editorial.tag_care.parse_tags"
TAGGIT_STRING_FROM_TAGS = "articles.tagging.join_tags"

ABSOLUTE_URL_OVERRIDES = {
    "taggit.tag": lambda tag: reverse("articles:tag-detail", args=[tag.slug]),
}

# Logs (siteconf.logs): every line carries the request's id, which the 500 page shows too;
# one JSON object a line in production (LOG_FORMAT=json, the default with DEBUG off).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json; got {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "siteconf.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
        "json": {"()": "siteconf.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Uploaded cover images. In production the web server serves MEDIA_ROOT at MEDIA_URL (Django
# does so only with DEBUG on); see the README.
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))


# With MEDIA_S3_BUCKET set, covers and their sizes go to object storage instead (S3 API: AWS,
# Aliyun OSS, Tencent COS, MinIO), shared by every app server; an existing name is never
# overwritten (a clash gets a new name). MEDIA_S3_CUSTOM_DOMAIN serves them from a CDN.
def s3_media_storage(environ):
    """The storage for MEDIA_S3_* in environ (tests build theirs with it too)."""
    return {
        "BACKEND": "siteconf.storage.MediaStorage",
        "OPTIONS": {
            "bucket_name": environ["MEDIA_S3_BUCKET"],
            "endpoint_url": environ.get("MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": environ.get("MEDIA_S3_REGION") or None,
            "access_key": environ.get("MEDIA_S3_ACCESS_KEY_ID") or None,
            "secret_key": environ.get("MEDIA_S3_SECRET_ACCESS_KEY") or None,
            "custom_domain": environ.get("MEDIA_S3_CUSTOM_DOMAIN") or None,
            "url_protocol": environ.get("MEDIA_S3_URL_PROTOCOL", "https:"),
            "addressing_style": environ.get("MEDIA_S3_ADDRESSING_STYLE") or None,
            "file_overwrite": False,
            "querystring_auth": False,  # covers are public; their URLs go into cached pages
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }


if os.environ.get("MEDIA_S3_BUCKET"):
    STORAGES["default"] = s3_media_storage(os.environ)
COVER_MAX_BYTES = env_int("COVER_MAX_BYTES", 8 * 1024 * 1024)
COVER_MAX_PIXELS = env_int("COVER_MAX_PIXELS", 40_000_000)

# How long a shared draft-preview link works, in seconds.
PREVIEW_MAX_AGE = env_int("PREVIEW_MAX_AGE", 7 * 24 * 3600)

# Caching (articles/caching.py): local memory, or Redis when REDIS_URL is set. With more than one
# process, set REDIS_URL: local memory is per process, so one process cannot invalidate another's.
REDIS_URL = os.environ.get("REDIS_URL", "")
# The cache is an accelerator, never a dependency (articles.caching): each call waits at most
# CACHE_TIMEOUT seconds and is not retried; after an error the cache is skipped for
# CACHE_RETRY_SECONDS. Run Redis with maxmemory-policy allkeys-lru (see the README).
CACHE_TIMEOUT = env_float("CACHE_TIMEOUT", 0.25)
CACHE_RETRY_SECONDS = env_int("CACHE_RETRY_SECONDS", 5)


def redis_cache(url):
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
        "OPTIONS": {
            "socket_connect_timeout": CACHE_TIMEOUT,
            "socket_timeout": CACHE_TIMEOUT,
            "retry": Retry(NoBackoff(), 0),
        },
    }


CACHES = {
    "default": (
        redis_cache(REDIS_URL)
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    )
}
PAGE_CACHE = env_bool("PAGE_CACHE", True)  # off: every page is rendered (to measure or debug)
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 3600)
# A CDN in front (articles.cdn, deploy/varnish.vcl): with CDN_CACHE_SECONDS set, public pages
# say s-maxage (at most that, and never past the next scheduled publication) and
# stale-while-revalidate; every change to the content purges them through CDN_PURGE_BACKEND
# (after the commit), at each of CDN_PURGE_URLS. Without it, nothing is cached past Django.
CDN_CACHE_SECONDS = env_int("CDN_CACHE_SECONDS", 0)
CDN_STALE_SECONDS = env_int("CDN_STALE_SECONDS", 30)
CDN_PURGE_BACKEND = os.environ.get("CDN_PURGE_BACKEND", "articles.cdn.NoPurge")
CDN_PURGE_URLS = env_list("CDN_PURGE_URLS")
CDN_PURGE_TIMEOUT = env_float("CDN_PURGE_TIMEOUT", 2)
# Background work (articles/tasks.py): Django's tasks API with its database backend, run by
# `manage.py db_worker` beside the app servers (no other server). A failed task is tried again
# after TASK_RETRY_SECONDS, doubling each time, TASK_ATTEMPTS times in all; then it stays failed,
# with its traceback, in the admin (后台任务).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
TASK_ATTEMPTS = env_int("TASK_ATTEMPTS", 5)
TASK_RETRY_SECONDS = env_float("TASK_RETRY_SECONDS", 30)
# Anonymous API clients: requests per period (s, min, h, day), e.g. "600/min".
API_ANON_RATE = os.environ.get("API_ANON_RATE", "600/min")
# Searches (/articles/?q=…) per client, the costliest public page.
SEARCH_RATE = os.environ.get("SEARCH_RATE", "60/min")
# E-mail sign-ups per client (each sends a confirmation mail).
SUBSCRIBE_RATE = os.environ.get("SUBSCRIBE_RATE", "5/hour")

# Production hardening (issue 7). The defaults keep a fresh clone working over plain HTTP;
# behind TLS set SECURE_SSL_REDIRECT=1, SECURE_COOKIES=1 and SECURE_HSTS_SECONDS, and
# SECURE_PROXY_SSL_HEADER=1 when a proxy terminates TLS and sets X-Forwarded-Proto.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Health probes often speak plain HTTP to the app server directly.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Content-Security-Policy (django-csp): only our own scripts, styles and images; no inline
# script or style anywhere, the admin included; nobody may frame the site. The one inline
# style allowed is the column alignment Markdown tables put on <th>/<td>, by its hash.
TABLE_ALIGN_HASHES = [
    "'sha256-{}'".format(
        base64.b64encode(hashlib.sha256(f"text-align:{side}".encode()).digest()).decode()
    )
    for side in ("left", "center", "right")
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-hashes'", *TABLE_ALIGN_HASHES],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Login throttling (django-axes): AXES_FAILURE_LIMIT failed logins lock out that username
# from that address only, so an attacker elsewhere cannot lock an editor out.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Where a login with no (or an off-site) ?next= lands; Django's default, /accounts/profile/,
# does not exist here.
LOGIN_REDIRECT_URL = "admin:index"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "429.html"
# Behind N reverse proxies the reader's address is the Nth from the right in X-Forwarded-For;
# with 0 (no proxy) it is REMOTE_ADDR and the header, which anyone can forge, is ignored.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "siteconf.security.client_ip"

# SQLite under concurrent writers: WAL lets readers and one writer work at once; IMMEDIATE
# takes the write lock when a transaction begins, so a busy writer is waited for (timeout,
# seconds) rather than failing with "database is locked" half-way through.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
            "transaction_mode": "IMMEDIATE",
            "timeout": env_int("SQLITE_TIMEOUT", 20),
        }
    )


# An unreachable PostgreSQL host should give the 503 page in seconds, not hold a worker for
# the operating system's TCP timeout (minutes).
# A stuck query, a held table lock or a forgotten transaction ends in milliseconds given here
# (DATABASE_*_TIMEOUT) as an OperationalError, which is the 503 page (siteconf.health).
def postgres_timeouts(database, connect_timeout):
    if database["ENGINE"] != "django.db.backends.postgresql":
        return database
    database.setdefault("OPTIONS", {}).setdefault("connect_timeout", connect_timeout)
    database["OPTIONS"].setdefault(
        "options",
        " ".join(
            f"-c {name}={env_int(variable, default)}"
            for name, variable, default in [
                ("statement_timeout", "DATABASE_STATEMENT_TIMEOUT", 10_000),
                ("lock_timeout", "DATABASE_LOCK_TIMEOUT", 3_000),
                ("idle_in_transaction_session_timeout", "DATABASE_IDLE_TIMEOUT", 60_000),
            ]
        ),
    )
    return database


postgres_timeouts(DATABASES["default"], env_int("DATABASE_CONNECT_TIMEOUT", 5))

# Read replicas (siteconf.replicas): anonymous GETs read one of them, everything else (and any
# request with a session cookie, or within REPLICA_PIN_SECONDS of its last write) the primary.
# A replica that cannot be reached is left alone for REPLICA_RETRY_SECONDS; its readers go to
# the primary meanwhile. Tests mirror the replicas onto the default database.
REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", 10)
REPLICA_RETRY_SECONDS = env_int("REPLICA_RETRY_SECONDS", 5)
REPLICA_ALIASES = []
for number, url in enumerate(env_list("DATABASE_REPLICA_URL"), start=1):
    alias = f"replica{number}"
    DATABASES[alias] = postgres_timeouts(
        dj_database_url.parse(
            url, conn_max_age=env_int("CONN_MAX_AGE", 0), conn_health_checks=True
        ),
        env_int("DATABASE_REPLICA_CONNECT_TIMEOUT", 2),
    )
    DATABASES[alias]["TEST"] = {"MIRROR": "default"}
    REPLICA_ALIASES.append(alias)
DATABASE_ROUTERS = ["siteconf.replicas.ReplicaRouter"] if REPLICA_ALIASES else []

# How long readers are told to wait when the database is unreachable (the 503 page).
DATABASE_DOWN_RETRY_AFTER = env_int("DATABASE_DOWN_RETRY_AFTER", 30)

# Request size (siteconf.limits): a body larger than its limit is refused by its Content-Length,
# with a Chinese 413, before any of it is read; deploy/nginx.conf refuses the same at the proxy.
# Uploads above FILE_UPLOAD_MAX_MEMORY_SIZE stream to FILE_UPLOAD_TEMP_DIR.
REQUEST_MAX_BYTES = env_int("REQUEST_MAX_BYTES", 256 * 1024)
# Twice the cover limit, so that a cover a little too big gets the form's message with its size.
ADMIN_REQUEST_MAX_BYTES = env_int("ADMIN_REQUEST_MAX_BYTES", 2 * COVER_MAX_BYTES)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 10
FILE_UPLOAD_TEMP_DIR = os.environ.get("FILE_UPLOAD_TEMP_DIR") or None

# Two-factor sign-in (django-otp, siteconf.admin): Editors and superusers need a second factor
# (an authenticator app's TOTP code, or one of their recovery codes) to reach the admin.
OTP_TOTP_ISSUER = SITE_NAME

# Mail (the review step's notices: articles.editorial.review). Printed to the console unless
# EMAIL_BACKEND says otherwise, e.g. django.core.mail.backends.smtp.EmailBackend with EMAIL_HOST.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", f"{SITE_NAME} <noreply@localhost>")
