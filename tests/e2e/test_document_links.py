"""Plan and share links with the real coach: they end when the person deletes their data, stops sharing, or
changes what they shared, and nothing of theirs is left in the documents folder.

test_stop_sharing_withdraws_the_managers_link needs a model trained with the stop_sharing intent."""

from __future__ import annotations

import re
import uuid
from typing import List

import pytest
import requests

from bot.store import open_store
from tests.e2e.servers import CoachServers, button_payloads, texts

pytestmark = pytest.mark.servers
ROLE = "journal.details.role"


def links(said: str) -> List[str]:
    return re.findall(r"(http://\S+?\.(?:html|pdf))\b", said)


def status(link: str) -> int:
    return requests.get(link, timeout=30).status_code


def share_role(coach: CoachServers, user: str, words: str) -> str:
    coach.say(user, "/start_journey")
    coach.say(user, words)
    share = coach.say(user, "share with my manager")
    coach.say(user, next(p for p in button_payloads(share) if ROLE in p))
    [link] = links(texts(coach.say(user, "yes")))
    assert words in requests.get(link, timeout=30).text
    return link


def documents_of(coach: CoachServers, user: str) -> List[str]:
    store = open_store(coach.database_url)
    return [d.name for d in store.documents(store.person_id(user))]


def test_after_delete_my_data_no_link_works_and_no_file_is_left(coach: CoachServers) -> None:
    user = f"staff-{uuid.uuid4().hex[:8]}"
    share = share_role(coach, user, "Band 5 nurse, signed off with stress last winter")
    sent = texts(coach.say(user, "send me my plan"))
    plan = links(sent)
    assert "work for 1 day, until" in sent or not plan  # an empty plan has no links
    names = documents_of(coach, user)
    assert names and all(status(link) == 200 for link in [share, *plan])

    coach.say(user, "delete my data")
    coach.say(user, "/affirm")

    for link in [share, *plan]:
        refused = requests.get(link, timeout=30)
        assert refused.status_code == 404 and "expired or been withdrawn" in refused.text
        assert "stress" not in refused.text
    folder = coach.workdir / "documents"
    assert not any(path.stem in names for path in folder.iterdir())


def test_editing_a_shared_answer_withdraws_its_link_and_asks_before_sharing_the_new_words(
        coach: CoachServers) -> None:
    user = f"staff-{uuid.uuid4().hex[:8]}"
    old = share_role(coach, user, "Band 5 staff nurse")
    opened = coach.say(user, f'/review_journal{{"prompt": "{ROLE}"}}')
    coach.say(user, next(p for p in button_payloads(opened) if p.startswith("/edit_answer")))
    edited = coach.say(user, "Band 6 charge nurse")
    said = texts(edited)
    assert "I've stopped sharing it and withdrawn any link that showed your earlier words" in said
    assert status(old) == 404
    offer = next(p for p in button_payloads(edited) if p.startswith("/share_answer"))
    assert "exactly this: “Band 6 charge nurse”" in texts(coach.say(user, offer))
    [new] = links(texts(coach.say(user, "yes")))
    assert "Band 6 charge nurse" in requests.get(new, timeout=30).text


def test_stop_sharing_withdraws_the_managers_link(coach: CoachServers) -> None:
    user = f"staff-{uuid.uuid4().hex[:8]}"
    link = share_role(coach, user, "Band 7 ward sister")
    said = texts(coach.say(user, "stop sharing"))
    assert "private again" in said and "no longer works" in said
    assert status(link) == 404
    store = open_store(coach.database_url)
    assert store.shared_answers(store.person_id(user)) == {}
    assert documents_of(coach, user) == []
