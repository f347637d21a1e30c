"""The SIP engine: the only package that imports pjsua2."""

from octasip.engine.engine import Engine
from octasip.engine.errors import EngineStartError
from octasip.engine.settings import EngineSettings

__all__ = ["Engine", "EngineSettings", "EngineStartError"]
