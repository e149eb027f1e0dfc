import pytest

from tests.oracle.runner import oracle_unavailable

pytest_plugins = ["pytester"]  # the pytest plugin's tests run real pytest sessions


@pytest.fixture(scope="session")
def velocity_oracle():
    """The Velocity 1.7 / commons-lang oracle module; skips where Java or the jars are missing."""
    reason = oracle_unavailable()
    if reason:
        pytest.skip(f"Velocity 1.7 oracle unavailable: {reason}")
    from tests.oracle import runner
    return runner
