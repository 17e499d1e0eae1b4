"""The coach as ``bench/compare.py`` drives it: its journal conversation, one very long conversation, and
the training time recorded by ``scripts/model.sh``.

A part of ``bench/compare.py``. The servers themselves are ``tests/e2e/servers.py::CoachServers``.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.e2e.servers import ROOT  # noqa: E402

TRAINING_LOG = ROOT / "var" / "log" / "training.jsonl"

GREETINGS = ["hi", "hello", "good morning", "hi there"]
STARTS = ["prepare for my career conversation", "help me get ready for my career conversation",
          "I have a career conversation next week", "start my reflection journal"]
ROLES = ["Band 5 staff nurse on a surgical ward", "Band 6 physiotherapist in community services",
         "Band 3 healthcare assistant on a care of the elderly ward", "Band 7 specialist pharmacist",
         "Band 4 admin team lead in outpatients", "Band 6 occupational therapist"]
NEW_ROLES = ["Band 6 charge nurse on the same ward, since last month", "Band 7 team lead in community services",
             "Band 5 staff nurse, and a practice assessor for students"]
WELLBEING = ["Tired after a busy winter, but mostly well", "Pretty good at the moment, the team is settled",
             "A bit stretched, with staff shortages on nights", "Well, I have more energy since changing shifts"]
FRAMEWORK_QUESTIONS = ["what does breadth mean?", "what is stretch?", "what does depth mean?",
                       "what is impact in the framework?"]
VALUES = ["Giving patients dignity matters most to me", "Working in a team that backs each other up",
          "Seeing people get home safely, because that is why I came into care",
          "Fairness, and being listened to"]
ENERGY = ["Teaching students energises me; paperwork drains me", "Solving problems gives me energy, rotas drain it",
          "Patients' thanks keeps me going; long handovers drain me"]

# The journal conversation of the comparison: twelve turns of free text, a skip, a framework question
# mid-form, a review with an edit from its button, and "where was I?".
EDIT_ROLE = '/edit_answer{"prompt": "journal.details.role"}'


def journal_script(rng: random.Random) -> list[str]:
    return [rng.choice(GREETINGS), rng.choice(STARTS), rng.choice(ROLES), rng.choice(WELLBEING), "skip",
            rng.choice(FRAMEWORK_QUESTIONS), rng.choice(VALUES), "review my journal", EDIT_ROLE,
            rng.choice(NEW_ROLES), "where was I?", rng.choice(ENERGY)]


# The long conversation repeats a ten-turn round after the journal's twelve turns, so turns 50 and 200
# (and the windows around them) are the same kind of turn. Each round edits one earlier answer.
EDITS = [("journal.details.role", NEW_ROLES), ("journal.wellbeing.now", WELLBEING),
         ("journal.wellbeing.support", ["Regular breaks and a predictable rota would help me",
                                        "Time for study days, protected in the rota"]),
         ("journal.matters.values", VALUES), ("journal.matters.energy", ENERGY)]
RESOURCES = ["find resources about pensions", "where can I find help with flexible working",
             "resources on leadership programmes", "show me career resources"]
ROUND = 10


def long_script(turns: int) -> list[str]:
    script = journal_script(random.Random(200))
    n = 0
    while len(script) < turns:
        prompt, answers = EDITS[n % len(EDITS)]
        script += ["review my journal", f'/edit_answer{{"prompt": "{prompt}"}}',
                   answers[n // len(EDITS) % len(answers)], "where was I?",
                   FRAMEWORK_QUESTIONS[n % len(FRAMEWORK_QUESTIONS)], "pause", "what do you keep about me?",
                   "where was I?", RESOURCES[n % len(RESOURCES)], "pause"]
        n += 1
    return script[:turns]


def last_training() -> dict[str, Any] | None:
    """The last line of ``var/log/training.jsonl`` (written by scripts/model.sh), or None."""
    if not TRAINING_LOG.is_file():
        return None
    lines = [line for line in TRAINING_LOG.read_text().splitlines() if line.strip()]
    if not lines:
        return None
    try:
        return dict(json.loads(lines[-1]))
    except ValueError:
        return None
