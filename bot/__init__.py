"""Scope for Growth coach: the core package.

Everything here except ``bot.nlu`` and ``bot.channels`` is plain Python with no
Rasa imports, so it can be tested and reused on its own.
"""

__version__ = "0.1.0"
