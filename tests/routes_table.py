"""The people in ``tests/data/routes_people*.yml`` and what the engine suggests for each (tests and ``make``-free
reports share this)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import yaml

from bot.engine import catalogue, suggest
from bot.framework import Profile, place
from bot.staff import read_staff_details

DATA = Path(__file__).parent / "data"
TUNING = DATA / "routes_people.yml"
HELD_OUT = DATA / "routes_people_held_out.yml"


@dataclass(frozen=True)
class Person:
    id: str
    said: str
    band: Optional[str]
    career_stage: Optional[str]
    aspiration: str
    growth: str
    impact: str
    readiness: str
    must: Tuple[str, ...]
    must_not: Tuple[str, ...]
    reason: str

    def profile(self) -> Profile:
        details = read_staff_details(self.said)
        return Profile(band=self.band or details.band, staff_group=details.staff_group, growth=self.growth,
                       impact=self.impact, readiness=self.readiness, age=None, aspiration=self.aspiration,
                       role=self.said, career_stage=self.career_stage, leads_team=details.leads_team)


def people(path: Path) -> List[Person]:
    rows: List[Dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))["people"]
    return [Person(**{**row, "must": tuple(row["must"]), "must_not": tuple(row["must_not"] or ())}) for row in rows]


def suggested(person: Person) -> List[str]:
    profile = person.profile()
    return [s.intervention.id for s in suggest(profile, place(profile), limit=5)]


def paused() -> List[str]:
    return [item.id for item in catalogue() if item.status == "paused"]


def misses(person: Person) -> Tuple[List[str], List[str]]:
    """(musts not in the top five, must-nots that were suggested). A paused item is never suggested, so a must
    that is paused now counts as a must-not: the table was written without knowing which are paused."""
    got = suggested(person)
    withheld = paused()
    return ([i for i in person.must if i not in got and i not in withheld],
            [i for i in (*person.must_not, *withheld) if i in got])


if __name__ == "__main__":
    for path in (TUNING, HELD_OUT):
        rows = people(path)
        right = 0
        for person in rows:
            missing, wrong = misses(person)
            right += not (missing or wrong)
            if (missing or wrong) and path == TUNING:  # the held-out part is counted, never read for tuning
                print(f"  {person.id}: missing {missing} wrong {wrong} got {suggested(person)}")
        print(f"{path.name}: {right}/{len(rows)} people get every must and no must-not")
