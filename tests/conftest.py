"""Shared fixtures. Real servers live in tests/servers/ and are started and stopped by fixtures."""

pytest_plugins = [
    "tests.servers.fixtures_sip",
    "tests.servers.fixtures_keyring",
    "tests.servers.fixtures_audio",
    "tests.engine_fixtures",
]
