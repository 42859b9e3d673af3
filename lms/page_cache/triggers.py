"""The triggers that leave a mark (core.Change) for every write a kept page may show.

They are the database's own, so no write escapes them: a service, the admin, a bulk update, a
cascade of deletes, a roster import by COPY, a script in the shell. Each table is one of three
kinds:

- one person's rows (``_personal``): a write marks the person the row concerns, her user and
  her organisation, found from a column of the row or through the row it names (an attempt's
  enrolment, a status's employee);
- rows no learner page shows, or that are written while a page is shown (``UNSHOWN``): no mark;
- every other table: content, frameworks, roles, rules, organisations, sites, images. A write
  marks everyone.

A table added later is of the third kind until it is classified: the triggers are installed
again after every ``migrate`` (``changes_install``, on post_migrate), on every table there is.

SQLite gets row triggers. PostgreSQL gets statement triggers with transition tables, so a
statement that writes 100,000 statuses leaves one mark per person, not one per row.
"""

from django.conf import settings
from django.db import connections
from django.db.models import Max
from wagtail.users.models import UserProfile

from competencies.models import CompetenceStatus, Evidence
from core.change_marks import triggers_remove
from core.models import Change
from lms.models import Assignment, Certificate, CheckAttempt, Enrolment, LessonProgress
from people.models import Employee, Notification, User

CHANGES = Change._meta.db_table


def _personal() -> dict[str, list[tuple[str, str]]]:
    """Each personal table, with the ways a row leads to its person: a column holding her
    user, her employee record or her enrolment ("user", "employee", "enrolment"), or the row
    being her employee record itself ("self")."""
    return {
        Enrolment._meta.db_table: [("user", "learner_id")],
        LessonProgress._meta.db_table: [("enrolment", "enrolment_id")],
        CheckAttempt._meta.db_table: [("enrolment", "enrolment_id")],
        Certificate._meta.db_table: [("enrolment", "enrolment_id")],
        Assignment._meta.db_table: [("employee", "employee_id")],
        Evidence._meta.db_table: [("employee", "employee_id")],
        CompetenceStatus._meta.db_table: [("employee", "employee_id")],
        Notification._meta.db_table: [("user", "recipient_id")],
        # A manager's menu shows "Mijn team" once someone reports to her.
        Employee._meta.db_table: [("self", "id"), ("employee", "manager_id")],
        Employee.roles.through._meta.db_table: [("employee", "employee_id")],
        User._meta.db_table: [("user", "id")],
        User.groups.through._meta.db_table: [("user", "user_id")],
        User.user_permissions.through._meta.db_table: [("user", "user_id")],
        # The admin's language, theme and avatar.
        UserProfile._meta.db_table: [("user", "user_id")],
    }


def _person(kind: str, column: str, rows: str) -> str:
    """A SELECT of the user (``u``) and organisation (``o``) of the rows in ``rows`` (aliased
    ``r``), reached the way ``kind`` says."""
    employees, enrolments = Employee._meta.db_table, Enrolment._meta.db_table

    def organisation_of(user: str) -> str:
        return f"(SELECT e.organisation_id FROM {employees} e WHERE e.user_id = {user})"

    return {
        "user": f"SELECT r.{column} AS u, {organisation_of(f'r.{column}')} AS o FROM {rows} r",
        "employee": f"SELECT e.user_id AS u, e.organisation_id AS o FROM {rows} r "
        f"JOIN {employees} e ON e.id = r.{column}",
        "enrolment": f"SELECT n.learner_id AS u, {organisation_of('n.learner_id')} AS o "
        f"FROM {rows} r JOIN {enrolments} n ON n.id = r.{column}",
        "self": f"SELECT r.user_id AS u, r.organisation_id AS o FROM {rows} r",
    }[kind]


def _columns(kind: str, column: str) -> tuple[str, ...]:
    return ("user_id", "organisation_id") if kind == "self" else (column,)


# Tables (or, ending in "_", prefixes) whose writes no learner page shows, or which are
# written while a page is shown (an image's rendition, an embed): marking them would only
# throw rendered pages away.
UNSHOWN = (
    CHANGES,
    "django_migrations",
    "django_session",
    "sqlite_",
    "people_auditentry",
    "people_rosterupload",
    "people_rosterupload_",
    "lms_remindersent",
    "lms_certificatesequence",
    "django_tasks_",
    # Signing in: second factors, addresses, single sign-on tokens.
    "mfa_",
    "account_",
    "socialaccount_",
    # The editors' side of Wagtail: drafts, logs, comments, workflows, the search index, the
    # translation workbench. What reaches learners is written to the page tables.
    "wagtailcore_revision",
    "wagtailcore_modellogentry",
    "wagtailcore_pagelogentry",
    "wagtailcore_referenceindex",
    "wagtailcore_pagesubscription",
    "wagtailcore_comment",
    "wagtailcore_commentreply",
    "wagtailcore_taskstate",
    "wagtailcore_workflowstate",
    "wagtailcore_uploadedfile",
    "wagtailcore_apitoken",
    "wagtailadmin_",
    "wagtailsearch_",
    "wagtail_localize_",
    "wagtailforms_formsubmission",
    # Made while a page is shown.
    "wagtailimages_rendition",
    "wagtailembeds_embed",
)


def _unshown(table: str) -> bool:
    # The database caches' tables too (manage.py createcachetable).
    caches = settings.CACHES.values()
    if table in {c["LOCATION"] for c in caches if c["BACKEND"].endswith("DatabaseCache")}:
        return True
    return any(table == name or (name.endswith("_") and table.startswith(name)) for name in UNSHOWN)


EVENTS = ("insert", "update", "delete")
ROWS = {"insert": ("new",), "update": ("new", "old"), "delete": ("old",)}


def _marks(people: list[str]) -> str:
    return (
        f"INSERT INTO {CHANGES} (user_id, organisation_id) SELECT u, o FROM ("
        + " UNION ".join(people)
        + ") people WHERE u IS NOT NULL OR o IS NOT NULL;"
    )


def _sqlite_statements(table: str, ways) -> list[str]:
    statements = []
    for event in EVENTS:
        name = f"{CHANGES}_{table}_{event}"
        statements.append(f'DROP TRIGGER IF EXISTS "{name}"')
        if ways is None:
            marks = f"INSERT INTO {CHANGES} (user_id, organisation_id) VALUES (NULL, NULL);"
        else:
            # The row as a one-row table, so that both databases share the ways' SQL.
            people = []
            for kind, column in ways:
                for row in ROWS[event]:
                    values = ", ".join(f"{row}.{c} AS {c}" for c in _columns(kind, column))
                    people.append(_person(kind, column, f"(SELECT {values})"))
            marks = _marks(people)
        statements.append(
            f'CREATE TRIGGER "{name}" AFTER {event.upper()} ON "{table}" FOR EACH ROW '
            f"BEGIN {marks} END"
        )
    return statements


def _postgresql_statements(table: str, ways) -> list[str]:
    statements, function = [], f"{CHANGES}_everyone"
    if ways is not None:
        function = f"{CHANGES}_{table}"
        marks = {
            event: _marks(
                [
                    _person(kind, column, f"{row}_rows")
                    for kind, column in ways
                    for row in ROWS[event]
                ]
            )
            for event in EVENTS
        }
        statements.append(
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN IF TG_OP = 'INSERT' THEN {marks['insert']} "
            f"ELSIF TG_OP = 'UPDATE' THEN {marks['update']} "
            f"ELSE {marks['delete']} END IF; RETURN NULL; END $$"
        )
    transitions = {
        "insert": "NEW TABLE AS new_rows",
        "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "delete": "OLD TABLE AS old_rows",
    }
    for event in EVENTS:
        name = f"{CHANGES}_{event}"
        statements += [
            f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"',
            f'CREATE TRIGGER "{name}" AFTER {event.upper()} ON "{table}" '
            f"REFERENCING {transitions[event]} FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
        ]
    return statements


# Everyone's mark, once per statement that wrote a row (a statement trigger also fires for a
# statement that wrote none).
_POSTGRESQL_EVERYONE = (
    f"CREATE OR REPLACE FUNCTION {CHANGES}_everyone() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN IF TG_OP = 'DELETE' THEN "
    f"INSERT INTO {CHANGES} (user_id, organisation_id) "
    "SELECT NULL, NULL WHERE EXISTS (SELECT 1 FROM old_rows); "
    f"ELSE INSERT INTO {CHANGES} (user_id, organisation_id) "
    "SELECT NULL, NULL WHERE EXISTS (SELECT 1 FROM new_rows); "
    "END IF; RETURN NULL; END $$"
)


def _tables(connection) -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # Not the search index's virtual tables (which take no triggers) nor views.
            cursor.execute(
                "SELECT name FROM sqlite_master "
                "WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'"
            )
            return [name for (name,) in cursor.fetchall()]
        return connection.introspection.table_names(cursor)


def changes_install(using: str = "default", **kwargs) -> None:
    """Install the triggers on every table of the database, again: a table added since gets
    them, a table now unshown loses them."""
    connection = connections[using]
    if connection.vendor not in ("sqlite", "postgresql"):
        return
    if CHANGES not in connection.introspection.table_names():
        triggers_remove(connection)  # migrated back to before the marks
        return
    personal = _personal()
    statements = [_POSTGRESQL_EVERYONE] if connection.vendor == "postgresql" else []
    for table in _tables(connection):
        if _unshown(table):
            statements += _triggers_dropped(connection, table)
            continue
        ways = personal.get(table)
        if connection.vendor == "sqlite":
            statements += _sqlite_statements(table, ways)
        else:
            statements += _postgresql_statements(table, ways)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _triggers_dropped(connection, table: str) -> list[str]:
    if connection.vendor == "sqlite":
        return [f'DROP TRIGGER IF EXISTS "{CHANGES}_{table}_{event}"' for event in EVENTS]
    return [f'DROP TRIGGER IF EXISTS "{CHANGES}_{event}" ON "{table}"' for event in EVENTS]


def changes_prune() -> int:
    """Forget every change mark but the newest of each person, of each organisation and of
    everyone: only those are ever read. The daily round does it."""
    # The newest of each pair of user and organisation: a person's newest is among hers, an
    # organisation's among its people's, and everyone's is the pair of neither.
    pairs = Change.objects.values("user_id", "organisation_id")
    newest = pairs.annotate(newest=Max("id")).values("newest")
    deleted, _ = Change.objects.exclude(pk__in=newest).delete()
    return deleted
