import pytest

from tests.people.roster_data import roles_create


@pytest.fixture
def roles(db):
    """The roles the roster rows of tests/people/roster_data.py name."""
    roles_create()
