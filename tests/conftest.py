"""Environment every test runs in."""

import pytest

# Key of the customer_key hash in tests, apart from the published demo key so that no test
# depends on the demo's settings.
TEST_PII_KEY = "kinerja-test-key-0123456789abcdef"


@pytest.fixture(scope="session", autouse=True)
def pii_key() -> str:
    """Set KINERJA_PII_KEY for every test, because the code location and dbt require it.

    Also load landing files at once: a fresh clone gives every fixture file a modification time
    of now, which the default settle time would leave for a later run. Tests of the settle time
    set it themselves.
    """
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("KINERJA_PII_KEY", TEST_PII_KEY)
        monkeypatch.setenv("KINERJA_LANDING_SETTLE_SECONDS", "0")
        monkeypatch.delenv("KINERJA_DEMO", raising=False)
        yield TEST_PII_KEY
