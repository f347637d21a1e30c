"""Privacy controls: wipe (and, later, retention and export). No Qt here."""
