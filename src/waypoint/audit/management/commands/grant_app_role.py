"""Give the role the application runs as exactly the privileges it needs (PostgreSQL).

Migrations run as the role that owns the tables; the web processes and the worker connect as
another role that owns nothing. That role may read and write every table of every installed
model, except the audit trail, which it may only add to and read. The statements are built from
Django's models each time, so a table added by a new migration is covered by running this again
after ``migrate`` (see docs/operations/database-roles.md).
"""

from __future__ import annotations

import re
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from waypoint.audit.models import AuditEvent

_ROLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
_READ_WRITE = "SELECT, INSERT, UPDATE, DELETE"
_APPEND_ONLY = "SELECT, INSERT"
# Django's own record of applied migrations: readable (to check none is pending), never written.
_MIGRATIONS_TABLE = "django_migrations"


def app_tables() -> list[str]:
    """Every table behind an installed, managed model (many-to-many link tables included)."""
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    return sorted(tables)


def app_role_grants(*, role: str, connection: BaseDatabaseWrapper) -> list[str]:
    """The statements, in order: start from nothing on each table, then grant."""
    if connection.vendor != "postgresql":
        raise CommandError("Database roles are a PostgreSQL feature; this database is not one.")
    if not _ROLE_NAME.match(role):
        raise CommandError(f"{role!r} is not a plain role name (letters, digits and _).")
    quote = connection.ops.quote_name
    grantee = quote(role)
    audit_table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        cursor.execute("SELECT current_schema()")
        schema = cursor.fetchone()[0]
        tables = [t for t in app_tables() if t in existing]
        sequences = sorted(
            {
                seq["name"]
                for table in tables
                for seq in connection.introspection.get_sequences(cursor, table)
            }
        )
    statements = [f"GRANT USAGE ON SCHEMA {quote(schema)} TO {grantee}"]
    for table in tables:
        privileges = _APPEND_ONLY if table == audit_table else _READ_WRITE
        statements += [
            f"REVOKE ALL ON TABLE {quote(table)} FROM {grantee}",
            f"GRANT {privileges} ON TABLE {quote(table)} TO {grantee}",
        ]
    if _MIGRATIONS_TABLE in existing:
        statements += [
            f"REVOKE ALL ON TABLE {quote(_MIGRATIONS_TABLE)} FROM {grantee}",
            f"GRANT SELECT ON TABLE {quote(_MIGRATIONS_TABLE)} TO {grantee}",
        ]
    # USAGE lets the role draw the next id; never UPDATE, which would let it reset a sequence.
    for sequence in sequences:
        statements += [
            f"REVOKE ALL ON SEQUENCE {quote(sequence)} FROM {grantee}",
            f"GRANT USAGE ON SEQUENCE {quote(sequence)} TO {grantee}",
        ]
    return statements


def check_role_owns_nothing(*, role: str, connection: BaseDatabaseWrapper) -> None:
    """Grants mean nothing to a table's owner (or a member of the owner's role) or a superuser:
    they could alter the table, drop the audit trail's triggers and rewrite it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
        found = cursor.fetchone()
        if found is None:
            raise CommandError(f"There is no role {role!r}. Create it first (CREATE ROLE … LOGIN).")
        if found[0]:
            raise CommandError(f"{role!r} is a superuser: the application must not run as one.")
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            " AND tablename = ANY(%s) AND pg_has_role(%s, tableowner, 'USAGE')",
            [app_tables(), role],
        )
        owned = [row[0] for row in cursor.fetchall()]
    if owned:
        raise CommandError(
            f"{role!r} owns (or acts as the owner of) {', '.join(sorted(owned))}. The application "
            "must connect as a role that owns nothing; migrations run as the owner."
        )


class Command(BaseCommand):
    help = (
        "Print the GRANT statements for the role the application connects as (read and write "
        "on every table, only add to and read the audit trail); --execute runs them. Run as the "
        "tables' owner after every migrate."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="The PostgreSQL role the web and worker processes use.")
        parser.add_argument(
            "--execute",
            action="store_true",
            help="Run the statements (as the owner) instead of printing them.",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args: Any, **options: Any) -> None:
        connection = connections[options["database"]]
        role: str = options["role"]
        statements = app_role_grants(role=role, connection=connection)
        if not options["execute"]:
            self.stdout.write("\n".join(f"{s};" for s in statements))
            return
        check_role_owns_nothing(role=role, connection=connection)
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(
            f"Granted {role} the application's privileges ({len(statements)} statements)."
        )
