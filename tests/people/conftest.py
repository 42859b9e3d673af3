import pytest


@pytest.fixture
def roles(frameworks):
    """The shipped role profiles (ALL, KCC, MGR, POL, ...) without their targets: the roster
    tests are about the import, not the competence statuses it sets off, which for the file of
    ten thousand rows would be a quarter of a million. Removed inside the test's transaction."""
    from competencies.models import RoleRequirement

    RoleRequirement.objects.all().delete()
