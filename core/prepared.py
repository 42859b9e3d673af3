"""A query that every request runs, compiled to SQL once per process.

Django builds and compiles a queryset to SQL on every evaluation. For a query with a few
subqueries (the request's user with what every page asks of them, people/backends.py) that
work is most of a request's time: about 9 ms of CPU against 0.4 ms for running the SQL on
SQLite. ``PreparedQuery`` builds the queryset once, with a marker in place of the one value
that changes (an id), compiles it once per database, and then runs the same SQL with the
value of each call, turning the rows into model objects with Django's own iterable
(``select_related`` objects and annotations included).

Only for a query whose shape never changes: the same filters, joins and annotations every
time, one value in one place.
"""

import copy
import threading
from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

# Values no id ever takes, to find the parameters of the compiled SQL that carry the ids.
MARKER = -7_390_218_456_113


class PreparedQuery:
    def __init__(self, build: Callable[..., QuerySet], values: int = 1):
        """``build(*values)`` returns the queryset with ``values`` ids as its only changing
        values, each used once."""
        self._build = build
        self._markers = [MARKER - number for number in range(values)]
        self._compiled: dict[str, tuple] = {}
        self._lock = threading.Lock()

    def all(self, *values: int) -> list:
        """The objects the query finds for ``values``."""
        if len(values) != len(self._markers):
            raise TypeError(f"{len(self._markers)} values expected")
        queryset, compiler, sql, params, places = self._compiled_for(DEFAULT_DB_ALIAS)
        params = list(params)
        for place, value in zip(places, values, strict=True):
            params[place] = int(value)
        params = tuple(params)
        run = copy.copy(compiler)  # each call its own; the SQL and the columns are shared
        run.connection = connections[DEFAULT_DB_ALIAS]  # this thread's connection
        run.as_sql = lambda *args, **kwargs: (sql, params)
        query = copy.copy(queryset.query)
        query.get_compiler = lambda *args, **kwargs: run
        return list(QuerySet(model=queryset.model, query=query, using=DEFAULT_DB_ALIAS))

    def first(self, *values: int):
        found = self.all(*values)
        return found[0] if found else None

    def _compiled_for(self, alias: str) -> tuple:
        # Keyed by the database's vendor as well: a process whose tests switch databases
        # compiles again.
        key = f"{alias}:{connections[alias].vendor}"
        compiled = self._compiled.get(key)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(key) or self._compile(alias)
                self._compiled[key] = compiled
        return compiled

    def _compile(self, alias: str) -> tuple:
        queryset = self._build(*self._markers)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        places = []
        for marker in self._markers:
            found = [index for index, param in enumerate(params) if param == marker]
            if len(found) != 1:
                raise ValueError("a prepared query takes each value in exactly one place")
            places.append(found[0])
        return queryset, compiler, sql, tuple(params), places
