"""Rasa graph components. Together with ``bot.channels`` the only code in ``bot`` that imports Rasa."""
