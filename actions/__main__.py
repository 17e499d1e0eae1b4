"""The action server: ``python -m actions -p 5055`` runs the Rasa SDK's server with the coach's actions.

spaCy's thinc imports TensorFlow whenever it is installed, and it is (the Rasa server's DIET needs it). No
action uses it, yet it cost the action server about 450 MB and two seconds the first time a turn needed
spaCy. Marked absent before anything imports spaCy, thinc finds none and works without it.
"""

from __future__ import annotations

import sys
from typing import List, Optional

from rasa_sdk.__main__ import main_from_args
from rasa_sdk.endpoint import create_argument_parser

UNUSED = ("tensorflow",)


def serve(argv: Optional[List[str]] = None) -> None:
    for name in UNUSED:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]  # None: "import tensorflow" fails
    from bot import intake

    intake.prepare()  # as the server starts, not on the first person's message
    main_from_args(create_argument_parser().parse_args(["--actions", "actions", *(argv or sys.argv[1:])]))


if __name__ == "__main__":
    serve()
