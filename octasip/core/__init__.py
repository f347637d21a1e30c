"""Plain models, commands and events. Imports nothing from Qt or pjsua2."""
