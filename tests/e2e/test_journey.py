"""A member of staff prepares for their conversation with the real coach, as a new user would."""

from __future__ import annotations

import io
import re
import uuid
from pathlib import Path
from typing import List

import pytest
import requests
from pypdf import PdfReader

from bot.store import open_store
from tests.e2e.servers import CoachServers, button_payloads, suggestion_payloads, texts

pytestmark = pytest.mark.servers

JOURNAL_ANSWERS = [
    "Band 5 staff nurse on a surgical ward",
    "Tired after a busy winter, but mostly well",
    "More predictable shifts would help me",
    "Giving patients dignity matters most to me",
    "Teaching students energises me; paperwork drains me",
    "Staying calm when the ward is busy",
    "skip",
    "I showed curiosity by starting a falls audit",
    '/choose{"choice": "mid"}',
    "I'd like to be a ward manager in three years",
    "Shadowing a ward manager and a leadership course",
]
STAGE1_ANSWERS = ["Seeing patients recover", "Leading the falls audit", "I listen first", "skip"]


def answer_all(coach: CoachServers, user: str, answers: List[str]) -> List[dict]:
    replies: List[dict] = []
    for answer in answers:
        replies = coach.say(user, answer)
    return replies


def test_a_member_of_staff_completes_all_three_stages_and_downloads_a_plan_in_their_own_words(
    coach: CoachServers,
) -> None:
    user = f"staff-{uuid.uuid4().hex[:8]}"
    first = texts(coach.say(user, "/start_journey"))
    assert "Section 1 of 6" in first
    answer_all(coach, user, JOURNAL_ANSWERS)
    replies = coach.say(user, "/where_was_i")  # the journal is done: carry on to stage 1
    assert "Stage 1" in texts(replies)
    answer_all(coach, user, STAGE1_ANSWERS)
    coach.say(user, "/where_was_i")
    coach.say(user, "Strongest in clinical skills, less so in budgets")
    coach.say(user, '/choose{"choice": "solid"}')
    coach.say(user, "Positive feedback from my matron and the audit results")
    coach.say(user, '/choose{"choice": "stretch"}')
    coach.say(user, '/choose{"choice": "ready_later"}')
    placement = coach.say(user, "I want to become a ward manager")
    assert "That feels right" in str(placement)
    coach.say(user, '/choose{"choice": "confirm"}')
    coach.say(user, "/where_was_i")
    suggestions = coach.say(user, "Lead a team; finish my leadership course")
    picks = suggestion_payloads(suggestions)
    assert picks, "suggestions should come as buttons"
    listed = [line for line in texts(suggestions).split("\n") if re.match(r"\d\. ", line)]
    assert len(listed) == len(picks) and all("Aimed at" in line for line in listed), listed
    assert "Mary Seacole" not in texts(suggestions)  # paused: new applications are on hold
    more = texts(coach.say(user, "tell me more about 1"))
    assert "checked" in more and "Aimed at" in more
    coach.say(user, picks[0])
    coach.say(user, '/choose{"choice": "done"}')
    coach.say(user, "My manager and a mentor from the practice development team")
    review = texts(coach.say(user, "by March next year"))
    assert "31 March" in review
    saved = texts(coach.say(user, '/choose{"choice": "save"}'))
    assert "plan is saved" in saved.lower()

    sent = coach.say(user, "send me my plan")
    plan = pdf_text(sent)
    assert len(plan.pages) == 1, "the plan itself is one page"
    for words in ["Lead a team; finish my leadership course", "My manager and a mentor from the practice",
                  "I want to become a ward manager", "my saved plan", "31 March"]:
        assert words in plan.text
    assert "Giving patients dignity" not in plan.text and "Seeing patients recover" not in plan.text

    with_journal = pdf_text(coach.say(user, next(p for p in button_payloads(sent) if "with_journal" in p)))
    assert "Giving patients dignity" in with_journal.text and "Seeing patients recover" in with_journal.text

    offer = coach.say(user, "share with my manager")
    asked = coach.say(user, next(p for p in button_payloads(offer) if '"plan"' in p))
    assert "Goals: Lead a team" in texts(asked)
    link = re.search(r"(http://\S+\.html)", texts(coach.say(user, "yes")))
    assert link
    page = requests.get(link.group(1), timeout=30).text
    assert "Lead a team; finish my leadership course" in page and "Giving patients dignity" not in page


class Pdf:
    def __init__(self, content: bytes) -> None:
        self.pages = PdfReader(io.BytesIO(content)).pages
        self.text = " ".join(" ".join(page.extract_text() for page in self.pages).split())


def pdf_text(replies: List[dict]) -> Pdf:
    """The PDF a reply links to, fetched as the person's browser would."""
    link = re.search(r"(http://\S+\.pdf)", texts(replies))
    assert link, texts(replies)
    pdf = requests.get(link.group(1), timeout=30)
    assert pdf.headers["content-type"] == "application/pdf"
    return Pdf(pdf.content)


def test_a_disclosure_mid_journal_gets_urgent_help_and_is_never_stored(coach: CoachServers) -> None:
    user = f"staff-{uuid.uuid4().hex[:8]}"
    coach.say(user, "/start_journey")
    coach.say(user, "Band 6 physiotherapist")
    replies = texts(coach.say(user, "honestly I don't want to be alive any more"))
    assert "116 123" in replies and "999" in replies and "85258" in replies
    store = open_store(coach.database_url)
    person = store.person_id(user)
    stored = [a.text for a in store.answers(person).values()]
    assert "Band 6 physiotherapist" in stored
    assert not any("alive" in text for text in stored)
    assert coach.tracker(user).get("active_loop", {}).get("name") is None
    resumed = texts(coach.say(user, "/where_was_i"))
    assert "How are you feeling about work" in resumed


def test_a_question_mid_form_is_answered_then_the_form_resumes(coach: CoachServers) -> None:
    user = f"staff-{uuid.uuid4().hex[:8]}"
    coach.say(user, "/start_journey")
    replies = texts(coach.say(user, "what does breadth mean?"))
    assert "other areas" in replies.lower()
    assert "What is your current role" in replies


def test_skipping_editing_and_deleting_answers(coach: CoachServers) -> None:
    user = f"staff-{uuid.uuid4().hex[:8]}"
    coach.say(user, "/start_journey")
    coach.say(user, "skip")
    coach.say(user, "Feeling good")
    review = coach.say(user, "review my journal")
    assert "(skipped)" in texts(review)
    opened = coach.say(user, next(p for p in button_payloads(review) if "journal.wellbeing.now" in p))
    assert "You said: “Feeling good”" in texts(opened)
    edit = next(p for p in button_payloads(opened) if p.startswith("/edit_answer"))
    assert "Before, you said" in texts(coach.say(user, edit))
    coach.say(user, "Feeling much better now")
    store = open_store(coach.database_url)
    person = store.person_id(user)
    assert store.answers(person)["journal.wellbeing.now"].text == "Feeling much better now"
    assert store.revisions(person, "journal", "journal.wellbeing.now") == ["Feeling good"]
    delete = next(p for p in button_payloads(coach.say(user, '/review_journal{"prompt": "journal.wellbeing.now"}'))
                  if p.startswith("/delete_answer"))
    coach.say(user, delete)
    coach.say(user, "/affirm")
    assert "journal.wellbeing.now" not in store.answers(person)


def test_what_is_kept_and_deleting_everything(coach: CoachServers) -> None:
    user = f"staff-{uuid.uuid4().hex[:8]}"
    coach.say(user, "/start_journey")
    coach.say(user, "Band 3 healthcare assistant")
    kept = texts(coach.say(user, "what do you keep about me?"))
    assert "1 answer for “Personal reflection journal”" in kept
    assert "Are you sure" in texts(coach.say(user, "delete my data"))
    done = texts(coach.say(user, "/affirm"))
    assert "deleted" in done.lower()
    store = open_store(coach.database_url)
    assert store.answers(store.person_id(user)) == {}
    events = coach.tracker(user, all_events=True).get("events", [])
    assert not any(e.get("text") == "Band 3 healthcare assistant" for e in events)


def test_where_was_i_survives_a_server_restart(tmp_path: Path, coach: CoachServers) -> None:
    user = f"staff-{uuid.uuid4().hex[:8]}"
    coach.say(user, "/start_journey")
    coach.say(user, "Band 4 admin lead")
    coach.say(user, "Pretty well")
    coach.restart()
    resumed = texts(coach.say(user, "where was I?"))
    assert "What would help you to be at your best" in resumed


def test_sharing_gives_the_manager_only_the_chosen_answer(coach: CoachServers) -> None:
    user = f"staff-{uuid.uuid4().hex[:8]}"
    coach.say(user, "/start_journey")
    coach.say(user, "Band 6 occupational therapist")
    coach.say(user, "Struggling at home at the moment")
    share = coach.say(user, "share with my manager")
    assert "Nothing is shared unless you choose" in texts(share)
    role = next(p for p in button_payloads(share) if "journal.details.role" in p)
    assert "Band 6 occupational therapist" in texts(coach.say(user, role))
    shared = texts(coach.say(user, "yes"))
    link = re.search(r"(http://\S+\.html)", shared)
    assert link, shared
    page = requests.get(link.group(1), timeout=30).text
    assert "Band 6 occupational therapist" in page and "Struggling at home" not in page


@pytest.mark.parametrize(("answer", "response", "button"), [
    ("Band 6 physio, and I'm starting to think about partial retirement", "NHS Pension Scheme",
     "Pensions and retirement"),
    ("Band 3 HCA. I'd love to train but I can't afford to drop my hours", "employee assistance programme",
     "Help with money worries"),
    ("Band 5 nurse, and I felt fobbed off at my last appraisal", "Freedom to Speak Up guardian",
     "Freedom to Speak Up"),
])
def test_a_worry_in_an_answer_gets_a_fitting_response_and_the_journal_carries_on(
        coach: CoachServers, answer: str, response: str, button: str) -> None:
    user = f"staff-{uuid.uuid4().hex[:8]}"
    coach.say(user, "/start_journey")
    replies = coach.say(user, answer)
    assert response in texts(replies) and "How are you feeling about work" in texts(replies)
    payload = next(b["payload"] for r in replies for b in r.get("buttons", []) if b["title"] == button)
    after = texts(coach.say(user, payload))  # the button, mid-journal: resources, then the question again
    assert "How are you feeling about work" in after and len(after) > 200
    store = open_store(coach.database_url)
    assert store.answers(store.person_id(user))["journal.details.role"].text == answer


def test_the_action_server_reads_an_answer_with_spacy_without_loading_tensorflow(coach: CoachServers) -> None:
    user = f"staff-{uuid.uuid4().hex[:8]}"
    coach.say(user, "/start_journey")
    replies = coach.say(user, "Band 5 staff nurse on a surgical ward")  # read with spaCy in the action server
    assert "How are you feeling about work" in texts(replies)
    loaded = Path(f"/proc/{coach.processes[0].pid}/maps").read_text()
    assert "/spacy/" in loaded  # the answer was read with spaCy
    assert "tensorflow" not in loaded  # about 450 MB that no action uses (actions/__main__.py)


def at_the_options(coach: CoachServers, user: str) -> List[dict]:
    """A new member of staff who skips every question and carries on to every stage, until stage 3 lists the
    development options; the replies that list them."""
    replies = coach.say(user, "/start_journey")
    for _ in range(40):
        if "Which would you like in your plan?" in texts(replies):
            return replies
        replies = coach.say(user, "/where_was_i" if "Shall we carry on?" in texts(replies) else "skip")
    pytest.fail("the development options were never offered")


def test_the_last_option_typed_at_the_suggestions_adds_the_last_listed_even_after_more_about_one(
        coach: CoachServers) -> None:
    """The options' buttons are numbered as the list is, so "the last one" is never "None of these for now"."""
    user = f"staff-{uuid.uuid4().hex[:8]}"
    replies = at_the_options(coach, user)
    last = [b["title"] for r in replies for b in r.get("buttons", []) if b["title"].startswith("Add ")][-1]
    coach.say(user, "more about 1")  # the question asked again in short: the buttons, not the list
    added = texts(coach.say(user, "the last one"))
    assert f"Added {last.split(': ', 1)[1]}." in added, added
    assert "In your plan: None for now" not in added


def test_two_options_named_in_one_message_at_the_suggestions_are_both_added(coach: CoachServers) -> None:
    user = f"staff-{uuid.uuid4().hex[:8]}"
    replies = at_the_options(coach, user)
    names = [b["title"].split(": ", 1)[1] for r in replies for b in r.get("buttons", [])
             if b["title"].startswith("Add ")]
    typed = f"add {names[0].split(' (')[0].lower()} and {names[-1].split(' (')[0].lower()} please"
    added = texts(coach.say(user, typed))
    assert f"Added {names[0]}." in added and f"Added {names[-1]}." in added, (typed, added)


def test_a_new_review_date_asked_for_at_the_plan_summary_is_changed_without_retyping(coach: CoachServers) -> None:
    user = f"staff-{uuid.uuid4().hex[:8]}"
    at_the_options(coach, user)
    coach.say(user, '/choose{"choice": "done"}')
    coach.say(user, "my manager")
    assert "Shall I save it as your final draft?" in texts(coach.say(user, "in six months"))
    changed = texts(coach.say(user, "looks good but make the review date june"))
    assert "review date of 30 June" in changed and "Shall I save it as your final draft?" in changed, changed
    assert "Your plan is saved" not in changed
