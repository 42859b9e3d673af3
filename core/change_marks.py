"""The change marks' triggers taken away again. lms/page_cache/triggers.py installs them on
every table after each migrate; they write to core's table of marks, so going back past the
migration that made it removes them first (core/migrations/0005_change_marks.py)."""

PREFIX = "core_change_"


def triggers_remove(connection) -> None:
    """Drop every trigger (and, on PostgreSQL, trigger function) that writes change marks."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [f"{PREFIX}%"],
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT DISTINCT p.proname FROM pg_proc p WHERE p.proname LIKE %s",
                [f"{PREFIX}%"],
            )
            for (name,) in cursor.fetchall():
                # CASCADE: with the triggers that run it.
                cursor.execute(f'DROP FUNCTION IF EXISTS "{name}"() CASCADE')
