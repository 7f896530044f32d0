from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from tests.world import PASSWORD, World

from waypoint.accounts.models import ApiToken, User
from waypoint.config import settings as production_settings


def test_passwords_are_hashed_with_argon2_in_production() -> None:
    assert production_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_create_api_token_prints_a_working_token_once(world: World) -> None:
    out = StringIO()
    call_command("create_api_token", "kw", stdout=out)
    token = out.getvalue().strip()
    assert token.startswith("wp_")
    stored = ApiToken.objects.get(user=world.key_worker)
    assert token not in (stored.digest, stored.prefix)  # only a digest is kept
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.json()["username"] == "kw"


def test_create_api_token_for_an_unknown_user_fails(db: None) -> None:
    with pytest.raises(CommandError, match="No user"):
        call_command("create_api_token", "nobody")


def test_a_revoked_token_no_longer_works(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    client = api_as(world.key_worker)
    assert client.get("/me").status_code == 200
    ApiToken.objects.filter(user=world.key_worker).update(revoked_at=timezone.now())
    assert client.get("/me").status_code == 401


def test_an_inactive_users_token_no_longer_works(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    client = api_as(world.key_worker)
    world.key_worker.is_active = False
    world.key_worker.save()
    assert client.get("/me").status_code == 401


def test_repeated_failed_logins_lock_the_account(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    for _ in range(3):
        client.post("/login/", {"username": "kw", "password": "wrong"})
    locked = client.post("/login/", {"username": "kw", "password": PASSWORD})
    assert locked.status_code == 429
    assert b"locked" in locked.content
    assert "_auth_user_id" not in client.session


def test_a_correct_login_lands_on_the_role_home(world: World) -> None:
    client = Client()
    response = client.post("/login/", {"username": "kw", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/caseload/"
    client = Client()
    response = client.post("/login/", {"username": "patient", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/portal/"


def test_session_api_writes_need_the_csrf_token(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.key_worker)
    response = client.post(
        "/api/v1/patients",
        {"given_name": "A", "family_name": "B", "birth_date": "1970-01-01", "sex": "female"},
        content_type="application/json",
    )
    assert response.status_code in (401, 403)


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/caseload/", {"kw", "onc"}),
        ("/worklists/unassigned/", {"kw", "onc"}),
        ("/overview/", {"manager", "admin"}),
        ("/audit/", {"admin"}),
        ("/portal/", {"patient"}),
        ("/cover/", {"kw", "manager"}),
    ],
)
def test_pages_are_denied_by_default(world: World, path: str, allowed: set[str]) -> None:
    for username in ("kw", "onc", "helpline", "manager", "admin", "patient"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        status = client.get(path).status_code
        assert (status == 200) == (username in allowed), (username, path, status)


def test_signed_out_visitors_are_sent_to_sign_in(db: None) -> None:
    response = Client().get("/caseload/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
