"""The application connects as a role that owns nothing (PostgreSQL): it reads and writes the
app's tables, only adds to and reads the audit trail, and cannot change any table's shape.

The role is made on the test server, given its privileges by ``manage.py grant_app_role`` and
then used over a second connection, as gunicorn and the worker would use it.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from tests.world import World, clear_audit_trail_for_flush

from waypoint.audit.management.commands.grant_app_role import app_role_grants, app_tables
from waypoint.audit.models import AuditEvent

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="database roles are a PostgreSQL feature"
)


@on_postgresql
def test_truncating_the_audit_trail_is_refused_and_leaves_it_whole(world: World) -> None:
    before = AuditEvent.objects.count()
    assert before > 0
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's own rows are still pending
        cursor.execute("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.count() == before


@on_postgresql
def test_truncating_the_tables_that_point_to_it_is_refused_too(world: World) -> None:
    before = AuditEvent.objects.count()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's own rows are still pending
        cursor.execute("TRUNCATE registry_patient CASCADE")
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_the_grants_are_refused_on_a_database_without_roles() -> None:
    if connection.vendor == "postgresql":
        pytest.skip("this is the SQLite answer")
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("grant_app_role", "waypoint_app")


@on_postgresql
@pytest.mark.django_db
def test_every_table_is_granted_and_the_audit_trail_only_select_and_insert() -> None:
    statements = app_role_grants(role="waypoint_app", connection=connection)
    granted = {
        s.split(" ON TABLE ")[1].removesuffix(' TO "waypoint_app"').strip('"'): s
        for s in statements
        if s.startswith("GRANT") and " ON TABLE " in s
    }
    assert set(granted) == {*app_tables(), "django_migrations"}
    assert granted["audit_auditevent"].startswith("GRANT SELECT, INSERT ON")
    assert granted["careteam_team"].startswith("GRANT SELECT, INSERT, UPDATE, DELETE ON")
    assert granted["django_migrations"].startswith("GRANT SELECT ON")
    sequence_grants = [s for s in statements if s.startswith("GRANT") and "SEQUENCE" in s]
    assert sequence_grants
    assert all(s.startswith("GRANT USAGE ON SEQUENCE") for s in sequence_grants)


@on_postgresql
@pytest.mark.django_db
def test_a_role_name_that_is_not_plain_is_refused() -> None:
    with pytest.raises(CommandError, match="plain role name"):
        call_command("grant_app_role", 'app"; DROP TABLE audit_auditevent; --')


@on_postgresql
@pytest.mark.django_db
def test_the_owner_is_refused_as_the_application_role() -> None:
    owner = connection.settings_dict["USER"] or "postgres"
    with pytest.raises(CommandError):
        call_command("grant_app_role", owner, "--execute")


@pytest.fixture
def app_role(committed_world: World) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    """A login role with the grants, and a connection made as it."""
    role = f"waypoint_app_{secrets.token_hex(4)}"
    password = secrets.token_urlsafe(16)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} LOGIN PASSWORD %s", [password])
    try:
        call_command("grant_app_role", role, "--execute")
        params = connection.get_connection_params()
        app = psycopg.connect(
            dbname=params["dbname"],
            host=params.get("host") or None,
            port=params.get("port") or None,
            user=role,
            password=password,
            autocommit=True,
        )
        try:
            yield app
        finally:
            app.close()
    finally:
        clear_audit_trail_for_flush()
        with connection.cursor() as cursor:
            cursor.execute(f"DROP OWNED BY {role}")
            cursor.execute(f"DROP ROLE {role}")


def _refused(app: psycopg.Connection[tuple[object, ...]], sql: str) -> str:
    with pytest.raises(psycopg.errors.InsufficientPrivilege) as refused:
        app.execute(sql)
    return str(refused.value)


@on_postgresql
def test_the_app_role_adds_and_reads_audit_events(app_role, committed_world: World) -> None:  # type: ignore[no-untyped-def]
    app_role.execute(
        "INSERT INTO audit_auditevent (occurred_at, actor_id, actor_role, action, object_type,"
        " object_id, reason, detail, request_id)"
        " VALUES (%s, %s, 'key_worker', 'view', 'Patient', '1', '', 'by the app role', '')",
        [timezone.now(), committed_world.key_worker.pk],
    )
    found = app_role.execute(
        "SELECT count(*) FROM audit_auditevent WHERE detail = 'by the app role'"
    ).fetchone()
    assert found == (1,)


@on_postgresql
def test_the_app_role_cannot_rewrite_or_empty_the_audit_trail(app_role) -> None:  # type: ignore[no-untyped-def]
    before = AuditEvent.objects.count()
    assert before > 0
    _refused(app_role, "UPDATE audit_auditevent SET reason = 'rewritten'")
    _refused(app_role, "DELETE FROM audit_auditevent")
    _refused(app_role, "TRUNCATE audit_auditevent")
    assert AuditEvent.objects.count() == before
    assert not AuditEvent.objects.filter(reason="rewritten").exists()


@on_postgresql
def test_the_app_role_cannot_alter_or_drop_any_table(app_role) -> None:  # type: ignore[no-untyped-def]
    for table in ("audit_auditevent", "careteam_team", "registry_patient"):
        assert "owner" in _refused(app_role, f"ALTER TABLE {table} ADD COLUMN x integer")
        assert "owner" in _refused(app_role, f"DROP TABLE {table}")
    assert "owner" in _refused(
        app_role, "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_update"
    )
    _refused(app_role, "TRUNCATE careteam_team CASCADE")


@on_postgresql
def test_the_app_role_writes_the_apps_own_tables(app_role, committed_world: World) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    app_role.execute(
        "INSERT INTO careteam_organisation (created_at, updated_at, name, ods_code)"
        " VALUES (%s, %s, 'Written by the app role', 'RAPP1')",
        [now, now],
    )
    app_role.execute(
        "UPDATE careteam_team SET email = 'team-a@example.nhs.uk' WHERE id = %s",
        [committed_world.team_a.pk],
    )
    committed_world.team_a.refresh_from_db()
    assert committed_world.team_a.email == "team-a@example.nhs.uk"
    assert app_role.execute(
        "SELECT count(*) FROM careteam_organisation WHERE ods_code = 'RAPP1'"
    ).fetchone() == (1,)
