"""The coach's custom actions: thin edges that read the tracker, call ``bot`` and return events."""

from actions import journey, manager, plan, privacy, signposting  # noqa: F401  (registers the actions)
