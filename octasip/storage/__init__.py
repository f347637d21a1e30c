"""The encrypted local database (SQLCipher): opening, migrations and repositories. No Qt here."""

from octasip.storage.accounts import AccountRepository
from octasip.storage.db import open_database, transaction
from octasip.storage.errors import DatabaseError, DatabaseKeyMissingError, DatabaseUnreadableError
from octasip.storage.settings import SettingsRepository

__all__ = [
    "AccountRepository",
    "DatabaseError",
    "DatabaseKeyMissingError",
    "DatabaseUnreadableError",
    "SettingsRepository",
    "open_database",
    "transaction",
]
