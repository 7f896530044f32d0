"""What a production configuration must hold before Waypoint starts (``WAYPOINT_PRODUCTION=true``).

Each rule answers one line naming the environment variable and how to put it right; settings.py
collects every line and stops start-up with all of them at once, so an operator fixes the whole
configuration in one pass instead of meeting the problems one restart at a time.

The worst failure these rules prevent is silent: with email or text messages going to the console,
the outbox marks escalations *sent* and the screens show them delivered, while nobody received
them. A hospital must not be able to run that way by leaving a development default in place.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

# Django email backends that deliver nothing to anybody: they print, keep in memory, write files or
# drop the message, and each still reports the message as sent.
UNDELIVERED_EMAIL_BACKENDS = frozenset(
    {
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.locmem.EmailBackend",
        "django.core.mail.backends.filebased.EmailBackend",
        "django.core.mail.backends.dummy.EmailBackend",
    }
)
# Django's own deploy check (security.W009) asks for at least 50 characters.
SECRET_KEY_MIN_LENGTH = 50
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "0.0.0.0"})  # noqa: S104  # a name, not a bind


@dataclass(frozen=True)
class Deployment:
    """The values the rules look at, as settings.py read them from the environment."""

    debug: bool
    secret_key: str
    development_secret_key: str
    secure_cookies: bool
    email_backend: str
    sms_backend: str
    base_url: str


def production_problems(d: Deployment) -> list[str]:
    """Every reason this configuration must not serve people, one line each (empty: none)."""
    problems: list[str] = []
    if d.debug:
        problems.append(
            "WAYPOINT_DEBUG is on: Django's debug pages would show settings, code and patient "
            "data to anyone who meets an error. Set WAYPOINT_DEBUG=false."
        )
    if d.secret_key == d.development_secret_key:
        problems.append(
            "WAYPOINT_SECRET_KEY is the published development key, so anyone could forge "
            "sessions. Set it to a long random value, e.g. the output of "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'."
        )
    elif len(d.secret_key) < SECRET_KEY_MIN_LENGTH:
        problems.append(
            f"WAYPOINT_SECRET_KEY is {len(d.secret_key)} characters long; it must be at least "
            f"{SECRET_KEY_MIN_LENGTH}. Set it to the output of "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'."
        )
    if not d.secure_cookies:
        problems.append(
            "WAYPOINT_SECURE_COOKIES is not true: the session cookie would also travel over "
            "plain HTTP. Serve Waypoint over HTTPS and set WAYPOINT_SECURE_COOKIES=true."
        )
    if d.email_backend in UNDELIVERED_EMAIL_BACKENDS:
        problems.append(
            f"WAYPOINT_EMAIL_BACKEND is {d.email_backend}, which delivers nothing: escalation "
            "emails would be marked sent that nobody receives. Set WAYPOINT_EMAIL_BACKEND="
            "django.core.mail.backends.smtp.EmailBackend with WAYPOINT_EMAIL_HOST (and _PORT, "
            "_USER, _PASSWORD, _TLS as your mail server needs)."
        )
    if d.sms_backend == "console":
        problems.append(
            "WAYPOINT_SMS_BACKEND is console, which only writes texts to the log: text messages "
            "would be marked sent that nobody receives. Set WAYPOINT_SMS_BACKEND=govuk_notify "
            "with WAYPOINT_NOTIFY_API_KEY and WAYPOINT_NOTIFY_SMS_TEMPLATE_ID."
        )
    base = urlsplit(d.base_url)
    if base.scheme != "https" or (base.hostname or "") in LOCAL_HOSTS:
        problems.append(
            f"WAYPOINT_BASE_URL is {d.base_url}: links in emails and texts must lead people to "
            "Waypoint. Set it to the https:// address people use, e.g. "
            "https://waypoint.your-trust.nhs.uk."
        )
    return problems
