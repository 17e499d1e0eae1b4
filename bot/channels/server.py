"""The Rasa server: ``python -m bot.channels.server run --model …`` is ``rasa run``, with one cost taken out.

Rasa checks each reply of the action server against its reply schema with ``jsonschema.validate``, which
first checks the schema itself against JSON Schema's meta-schema, on every call. Under 10 journal conversations
at a time that meta-check was about 16% of the Rasa server's CPU (two replies per answered question). Here the
schema is checked once, as the server starts, and each reply is checked against it as before. A reply that fails
goes through Rasa's own check, so the error raised and logged is Rasa's.
"""

from __future__ import annotations

import sys
from typing import Any, Callable, Dict, List, Optional

from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction

Check = Callable[[RemoteAction, Dict[str, Any]], bool]


def check_replies_against_a_checked_schema() -> None:
    """Make the action server's replies be checked against a schema whose own check was done once."""
    rasas_check: Check = RemoteAction._validate_action_result
    if getattr(rasas_check, "schema_checked_once", False):
        return
    schema = RemoteAction.action_response_format_spec()
    kind = validator_for(schema)
    kind.check_schema(schema)
    replies = kind(schema)

    def check(action: RemoteAction, result: Dict[str, Any]) -> bool:
        return replies.is_valid(result) or rasas_check(action, result)

    check.schema_checked_once = True  # type: ignore[attr-defined]
    RemoteAction._validate_action_result = check  # type: ignore[method-assign]


def serve(argv: Optional[List[str]] = None) -> None:
    from rasa.__main__ import main

    check_replies_against_a_checked_schema()
    sys.argv = ["rasa", *(sys.argv[1:] if argv is None else argv)]
    main()


if __name__ == "__main__":
    serve()
