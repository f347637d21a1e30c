"""Storage errors. Their messages are safe to show: never a key, a password or a full number."""

from __future__ import annotations


class DatabaseError(Exception):
    """The encrypted database cannot be used. Nothing was changed unless the message says so."""


class DatabaseUnreadableError(DatabaseError):
    """The key does not open the database, or the file is damaged or not an OctaSIP database."""


class DatabaseKeyMissingError(DatabaseError):
    """The database exists but its key is not in the keyring. The file is left untouched."""
