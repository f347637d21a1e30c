"""OctaSIP Desktop: a private SIP softphone."""

__version__ = "0.1.0"
