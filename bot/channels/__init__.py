"""Input channels and the tracker store: with ``bot.nlu``, the only code in ``bot`` that imports Rasa."""
