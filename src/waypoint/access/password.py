"""Password reset by an emailed link, and changing a password while signed in.

Reset is built on Django's own machinery (``default_token_generator``, ``PasswordResetConfirmView``,
``SetPasswordForm``): a link's token is a signature over the account's password hash and last
sign-in, so it stops working as soon as the password changes or the person signs in, and after
``PASSWORD_RESET_TIMEOUT``. Waypoint adds what a clinical system needs around it:

- The person types their email address, not their username. Patients are given a username by
  their team and seldom remember it; the link goes to the address anyway, so knowing the address
  is what the reset rests on. Every active account with a usable password at that address gets its
  own email naming its own username, because a patient and a carer may share a family address and
  each link resets only its own account. Accounts whose password sign-in an administrator turned
  off, or that have no password yet (an invitation not yet accepted), get nothing: a reset must
  not become a way round those decisions.
- The answer is the same page, after about the same time, whether or not the address is known
  (see ``_ANSWER_FLOOR_SECONDS``), so the page cannot be used to learn who has an account.
- The email goes through the outbox (waypoint.notifications), so it is sent, retried and
  recorded like every other message.
- Requests are limited per address and per client in the database (not Django's cache, which
  is local to each server process here; see the settings' note on the token limits).
- A new password ends every session of the account, lifts a sign-in lockout for the username, and
  never signs anyone in: the person signs in again, with a second factor where one is required.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import TYPE_CHECKING, Any

from axes.utils import reset as axes_reset
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from waypoint.accounts.http import acting_user
from waypoint.accounts.models import User
from waypoint.accounts.services import ACCOUNT_OBJECT, user_sessions_end
from waypoint.audit.models import AuditAction, AuditEvent
from waypoint.audit.services import access_denied_record, audit_record
from waypoint.core.forms import NhsForm
from waypoint.core.http import client_address
from waypoint.core.outage import team_numbers_forget
from waypoint.notifications.models import Channel, OutboundMessage
from waypoint.notifications.services import message_enqueue

RESET_TOPIC = "access.password_reset"
# The audit trail's name for a request for a reset link; its object id is the client's address,
# which is what the per-client limit counts.
RESET_REQUEST_OBJECT = "password_reset_request"
_HOUR = dt.timedelta(hours=1)
# No more reset emails to one address once three have gone in the last hour: enough for a person
# who mistyped, or whose first email was slow, and too few to flood anyone's inbox.
RESET_EMAILS_PER_ADDRESS_PER_HOUR = 3
# Requests from one client address in an hour, known addresses or not. Generous, because a
# hospital's staff may all reach Waypoint from one address; low enough that one client cannot
# spray the whole staff list.
RESET_REQUESTS_PER_CLIENT_PER_HOUR = 20
# Every answer to a reset request takes at least this long. Both paths do the same reads, make a
# token and write one audit row; only the outbox row is extra for a known address, and the floor
# hides that write's few milliseconds. Requests over the per-client limit are answered at once,
# so the wait cannot be used to tie up the server's workers.
_ANSWER_FLOOR_SECONDS = 0.25
# Wrong current passwords on the change page before this session is signed out: someone at an
# unlocked computer must not be able to guess their way to taking over the account.
CHANGE_FAILURES_BEFORE_SIGN_OUT = 5
_CHANGE_FAILURES_KEY = "waypoint_password_change_failures"


class ResetRequestsLimited(Exception):
    """This client has asked for too many reset links in the last hour."""


# --- Forms ---------------------------------------------------------------------------------------


class ResetRequestForm(NhsForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="The email address your care team or administrator has for you.",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


# Django's stubs make the form generic in the user model; at run time it is a plain class.
if TYPE_CHECKING:
    _SetPasswordForm = SetPasswordForm[User]
else:
    _SetPasswordForm = SetPasswordForm


class NewPasswordForm(NhsForm, _SetPasswordForm):
    """Django's form, its checks (AUTH_PASSWORD_VALIDATORS) and its messages, in NHS.UK markup."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _password_fields(self, "new_password1", "new_password2")


class ChangePasswordForm(NhsForm, PasswordChangeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _password_fields(self, "new_password1", "new_password2")
        self.fields["old_password"].label = "Current password"
        self.fields["old_password"].widget.attrs["autocomplete"] = "current-password"


def _password_fields(form: forms.Form, new: str, confirm: str) -> None:
    form.fields[new].label = "New password"
    form.fields[new].help_text = (
        "At least 12 characters. Not a common password, not all numbers, and not like your name "
        "or username. Three or four ordinary words together work well."
    )
    form.fields[new].widget.attrs["aria-describedby"] = f"id_{new}-hint"
    form.fields[new].widget.attrs["autocomplete"] = "new-password"
    form.fields[confirm].label = "Type the new password again"
    form.fields[confirm].help_text = ""
    form.fields[confirm].widget.attrs.pop("aria-describedby", None)
    form.fields[confirm].widget.attrs["autocomplete"] = "new-password"


# --- Services ------------------------------------------------------------------------------------


def _accounts_at(email: str) -> list[User]:
    """The accounts a reset link may be sent for: Django's own rule (active, a usable password,
    the same address ignoring case)."""
    return list(PasswordResetForm().get_users(email))


def _duration_words(seconds: int) -> str:
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return "1 hour" if hours == 1 else f"{hours} hours"
    minutes = max(1, round(seconds / 60))
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def _reset_email(user: User, link: str) -> tuple[str, str]:
    lasts = _duration_words(int(settings.PASSWORD_RESET_TIMEOUT))
    who_to_tell = "your Waypoint administrator" if user.is_staff_member else "your breast care team"
    body = (
        f"Someone asked to reset the password for the Waypoint account {user.username}.\n\n"
        f"To choose a new password, open this link:\n{link}\n\n"
        f"The link works once, and only for {lasts}. After that, ask for a new one on the "
        f"Waypoint sign-in page (choose 'Forgotten your password?').\n\n"
        f"If you did not ask for this, you do not need to do anything: your password has not "
        f"changed and nobody can use this email to sign in without opening the link. If you get "
        f"these emails without asking, tell {who_to_tell}.\n\n"
        f"Waypoint"
    )
    return "Reset your Waypoint password", body


def _reset_link(user: User) -> str:
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.WAYPOINT_BASE_URL + path


def password_reset_request(*, email: str, address: str, now: dt.datetime) -> int:
    """Email a one-use reset link to each account at ``email``, within the limits; answers how
    many were sent (never shown to the person asking). Raises ``ResetRequestsLimited`` when
    ``address`` (the client) has asked too often, whatever the email address; the refusal is
    recorded outside the request's transaction, so that it stays."""
    from_client = AuditEvent.objects.filter(
        object_type=RESET_REQUEST_OBJECT, object_id=address[:64], occurred_at__gte=now - _HOUR
    ).count()
    if from_client >= RESET_REQUESTS_PER_CLIENT_PER_HOUR:
        access_denied_record(
            reason="Too many password reset requests",
            object_type=RESET_REQUEST_OBJECT,
            address=address,
            detail=f"Password reset asked for too often from {address or 'an unknown address'}",
        )
        raise ResetRequestsLimited
    return _reset_links_send(email=email, address=address, now=now)


@transaction.atomic
def _reset_links_send(*, email: str, address: str, now: dt.datetime) -> int:
    since = now - _HOUR
    # Locking the accounts' rows makes two requests for one address at the same moment take turns,
    # so both see the other's email when counting.
    accounts = _accounts_at(email)
    list(User.objects.select_for_update().filter(pk__in=[a.pk for a in accounts]))
    to_address = OutboundMessage.objects.filter(
        topic=RESET_TOPIC, to__iexact=email, created_at__gte=since
    ).count()
    # An unknown address costs the same work: a token made and a message written, for a stand-in
    # account that is never saved, and thrown away.
    candidates = accounts or [User(pk=0, username="", last_login=now)]
    emails = [(user, *_reset_email(user, _reset_link(user))) for user in candidates]
    where = f"from {address or 'an unknown address'}"
    too_many = to_address >= RESET_EMAILS_PER_ADDRESS_PER_HOUR
    if not accounts:
        detail = f"No email sent: the address matches no account that can reset {where}"
    elif too_many:
        detail = f"No email sent: too many already this hour, for {_names(accounts)} {where}"
    else:
        detail = f"Reset link emailed for {_names(accounts)} {where}"
    sent = 0
    for user, subject, body in emails:
        if user.pk and not too_many:
            message_enqueue(
                channel=Channel.EMAIL,
                to=user.email,
                subject=subject,
                body=body,
                topic=RESET_TOPIC,
                reference=str(user.pk),
                recipient=user,
                now=now,
            )
            sent += 1
    # The address typed is not kept when it matches nobody: it may be anyone's, or a password
    # typed into the wrong box.
    audit_record(
        actor=None,
        action=AuditAction.CREATE,
        patient=None,
        object_type=RESET_REQUEST_OBJECT,
        object_id=address[:64],
        detail=detail,
    )
    return sent


def _names(accounts: list[User]) -> str:
    return ", ".join(user.username for user in accounts)


@transaction.atomic
def password_reset_complete(*, user: User, password: str, address: str) -> User:
    """Set the password chosen through a reset link: every session of the account ends (this
    browser was never signed in by it) and a lockout of the username is lifted, so a person who
    locked themselves out gets back in by resetting."""
    user.set_password(password)
    user.save(update_fields=["password"])
    axes_reset(username=user.username)
    audit_record(
        actor=user,
        action=AuditAction.UPDATE,
        patient=None,
        object_type=ACCOUNT_OBJECT,
        object_id=user.pk,
        detail=f"{user.username}: password reset by email link from "
        f"{address or 'an unknown address'}; any sign-in lockout lifted",
    )
    return user_sessions_end(actor=user, user_id=user.pk, reason="password reset")


@transaction.atomic
def password_change(*, user: User, password: str) -> User:
    """A signed-in person changes their own password: every other session of the account ends.
    Answers the account as saved, for keeping the session it was changed in."""
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(
        actor=user,
        action=AuditAction.UPDATE,
        patient=None,
        object_type=ACCOUNT_OBJECT,
        object_id=user.pk,
        detail=f"{user.username}: password changed by the person",
    )
    return user_sessions_end(
        actor=user, user_id=user.pk, reason="password changed; this session kept"
    )


# --- Views ---------------------------------------------------------------------------------------


@never_cache
@sensitive_post_parameters("email")
def password_reset(request: HttpRequest) -> HttpResponse:
    form = ResetRequestForm(request.POST if request.method == "POST" else None)
    if request.method != "POST" or not form.is_valid():
        status = 400 if form.is_bound else 200
        return render(request, "access/password/reset_request.html", {"form": form}, status=status)
    started = time.monotonic()
    try:
        password_reset_request(
            email=form.cleaned_data["email"], address=client_address(request), now=timezone.now()
        )
    except ResetRequestsLimited:
        return render(request, "access/password/reset_limited.html", status=429)
    time.sleep(max(0.0, _ANSWER_FLOOR_SECONDS - (time.monotonic() - started)))
    return redirect("password_reset_sent")


def password_reset_sent(request: HttpRequest) -> HttpResponse:
    lasts = _duration_words(int(settings.PASSWORD_RESET_TIMEOUT))
    return render(request, "access/password/reset_sent.html", {"lasts": lasts})


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Opening the link puts its token in the session and moves to an address without it (Django
    does this, so the token cannot leak in a Referer header); the form then sets the password."""

    template_name = "access/password/reset_confirm.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("login")

    def get_user(self, uidb64: str) -> User | None:
        user = super().get_user(uidb64)
        # An account turned off after the email was sent: the link no longer works.
        return user if isinstance(user, User) and user.is_active else None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["lasts"] = _duration_words(int(settings.PASSWORD_RESET_TIMEOUT))
        return context

    def form_valid(self, form: SetPasswordForm[User]) -> HttpResponse:
        assert isinstance(self.user, User)  # noqa: S101  # a valid link names an account
        password_reset_complete(
            user=self.user,
            password=form.cleaned_data["new_password1"],
            address=client_address(self.request),
        )
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        messages.success(
            self.request,
            "Your password has been changed. Sign in with your new password. Any other "
            "devices signed in to your account have been signed out.",
        )
        return redirect(self.get_success_url())


@never_cache
@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@login_required
def password_change_page(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = ChangePasswordForm(user, request.POST if request.method == "POST" else None)
    if request.method != "POST":
        return render(request, "access/password/change.html", {"form": form})
    if form.is_valid():
        request.session.pop(_CHANGE_FAILURES_KEY, None)
        saved = password_change(user=user, password=form.cleaned_data["new_password1"])
        # The raised stamp and the new password end every session; this one is signed again with
        # the account as saved, so it alone carries on.
        update_session_auth_hash(request, saved)
        messages.success(
            request,
            "Your password has been changed. Any other devices signed in to your account have "
            "been signed out.",
        )
        return redirect("account_security")
    if "old_password" in form.errors:
        failures = int(request.session.get(_CHANGE_FAILURES_KEY, 0)) + 1
        request.session[_CHANGE_FAILURES_KEY] = failures
        if failures >= CHANGE_FAILURES_BEFORE_SIGN_OUT:
            return _signed_out_after_wrong_passwords(request, user)
    return render(request, "access/password/change.html", {"form": form}, status=400)


def _signed_out_after_wrong_passwords(request: HttpRequest, user: User) -> HttpResponse:
    address = client_address(request)
    access_denied_record(
        reason="Wrong current password",
        object_type=ACCOUNT_OBJECT,
        address=address,
        actor=user,
        object_id=user.pk,
        detail=f"{user.username}: signed out after {CHANGE_FAILURES_BEFORE_SIGN_OUT} wrong current "
        f"passwords on the change password page, from {address or 'an unknown address'}",
    )
    logout(request)
    messages.warning(
        request,
        "You have been signed out because the current password was typed wrongly "
        f"{CHANGE_FAILURES_BEFORE_SIGN_OUT} times. Sign in again, or choose 'Forgotten your "
        "password?' if you cannot remember it.",
    )
    response = redirect("login")
    team_numbers_forget(response)
    return response
