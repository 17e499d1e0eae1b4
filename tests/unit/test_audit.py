"""The audit log: each share, withdrawal, export, outcome and erasure leaves exactly one entry, with none of the
person's words; entries are only ever added; "who has seen my answers?" reads it back in plain words."""

from __future__ import annotations

import ast
import datetime as dt
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from bot import audit, personal_documents
from bot.journey_service import JourneyService, Place
from bot.privacy import ErasureService, SubjectAccess, render_export_html
from bot.sharing import SharingService
from bot.store import CoachStore
from bot.store.repository import DocumentRecord
from bot.turn import Message, Turn

ROOT = Path(__file__).resolve().parents[2]
WELLBEING, ROLE = "journal.wellbeing.now", "journal.details.role"
WORDS = {WELLBEING: "the quokka rota has worn me down", ROLE: "charge nurse on the axolotl ward"}
NEXT_STEPS = "shadow the pangolin clinic lead"


@pytest.fixture
def store(coach_store: CoachStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CoachStore:
    monkeypatch.setenv("COACH_DOCUMENTS_DIR", str(tmp_path / "documents"))
    monkeypatch.setenv("COACH_PUBLIC_URL", "https://coach.example.nhs.uk")
    return coach_store


def table(store: CoachStore) -> list[dict[str, Any]]:
    """The audit table as plain SQLite sees it."""
    with sqlite3.connect(store.engine.url.database or "") as db:
        db.row_factory = sqlite3.Row
        return [dict(row) for row in db.execute("SELECT * FROM audit_event ORDER BY id")]


def text(turn: Turn) -> str:
    return "\n".join(r.text or "" for r in turn.replies)


def record_outcome(store: CoachStore, manager: str) -> str:
    """A manager records an outcome through the journey service; the code the person confirms it with."""
    for prompt_id, value, said in [("outcome.growth", "depth", "Depth"), ("outcome.impact", "strong", "Strong"),
                                   ("outcome.readiness", "ready_now", "Ready now")]:
        store.save_answer(manager, "outcome", prompt_id, said, value=value)
    store.save_answer(manager, "outcome", "outcome.interventions", "", value=[])
    store.save_answer(manager, "outcome", "outcome.next_steps", NEXT_STEPS)
    store.save_answer(manager, "outcome", "outcome.review", "", status="skipped")
    JourneyService(store).take(manager, Place("outcome", prompt_id="outcome.summary"), Message("yes", "affirm"))
    return str(store.answers(manager, "outcome")["outcome.summary"].value)


class Log:
    """Each step must add exactly one entry, and leave every earlier one as it was."""

    def __init__(self, store: CoachStore) -> None:
        self.store, self.seen = store, table(store)

    def one_more(self) -> dict[str, Any]:
        now = table(self.store)
        assert now[:len(self.seen)] == self.seen, "an earlier entry was changed or removed"
        assert len(now) == len(self.seen) + 1, [row["action"] for row in now[len(self.seen):]]
        self.seen = now
        return now[-1]


def test_each_action_leaves_exactly_one_entry_and_none_of_the_words(store: CoachStore) -> None:
    person, manager = store.person_id("web:staff"), store.person_id("web:manager")
    for prompt_id, words in WORDS.items():
        store.save_answer(person, "journal", prompt_id, words)
    sharing, journey, log = SharingService(store), JourneyService(store), Log(store)

    sharing.share(person, WELLBEING)
    shared = log.one_more()
    [document] = store.documents(person, "share")
    assert (shared["action"], shared["actor"], shared["person_id"], shared["document"]) == (
        "shared", "person", person, document.name)
    assert '"journal.wellbeing.now"' in shared["prompt_ids"]

    sharing.stop_sharing(person)
    withdrawn = log.one_more()
    assert (withdrawn["action"], withdrawn["actor"], withdrawn["document"]) == ("share_withdrawn", "person",
                                                                               document.name)

    sharing.share(person, ROLE)
    log.one_more()
    journey.delete_answer(person, ROLE)  # a shared answer deleted: the link that showed it is withdrawn
    assert log.one_more()["action"] == "share_withdrawn"

    SubjectAccess(store, journey.journey).download(person)
    exported = log.one_more()
    assert (exported["action"], exported["actor"], exported["person_id"]) == ("exported", "person", person)
    assert exported["document"] == store.documents(person, "export")[0].name

    code = record_outcome(store, manager)
    recorded = log.one_more()
    assert (recorded["action"], recorded["actor"], recorded["person_id"]) == ("outcome_recorded", "manager", None)
    assert recorded["outcome_id"] is not None

    journey.confirm_outcome(person, code)
    confirmed = log.one_more()
    assert (confirmed["action"], confirmed["person_id"], confirmed["outcome_id"]) == (
        "outcome_confirmed", person, recorded["outcome_id"])

    everything = repr(table(store))
    for words in [*WORDS.values(), NEXT_STEPS, code]:
        assert words not in everything


def test_a_share_link_opened_again_within_a_minute_is_recorded_once(store: CoachStore) -> None:
    at = dt.datetime(2026, 12, 2, 9, 0)
    share = DocumentRecord("a" * 24, store.person_id("web:viewed"), "share", at, at + dt.timedelta(days=14),
                           (WELLBEING,))
    plan = DocumentRecord("b" * 24, share.person_id, "plan", at, at + dt.timedelta(days=7))
    opened = [audit.share_viewed(store, share, at + dt.timedelta(seconds=s)) for s in (0, 10, 59, 61, 90, 122)]
    assert opened == [True, False, False, True, False, True]
    assert not audit.share_viewed(store, plan, at)  # the person's own plan is not a share
    assert [(r["actor"], r["action"]) for r in table(store)] == [("share_link", "share_viewed")] * 3


def test_an_expired_share_link_is_logged_once_at_its_expiry(store: CoachStore) -> None:
    person = store.person_id("web:expiring")
    store.save_answer(person, "journal", WELLBEING, WORDS[WELLBEING])
    SharingService(store).share(person, WELLBEING)
    [document] = store.documents(person, "share")
    later = document.expires_at + dt.timedelta(days=1)
    personal_documents.purge(store, now=later)
    assert [(r["action"], r["actor"]) for r in table(store)] == [("shared", "person"), ("share_expired", "system")]
    assert store.audit_events(person)[-1].at == document.expires_at


def test_who_has_seen_says_what_was_shared_how_often_each_link_was_opened_and_what_was_withdrawn(
        store: CoachStore) -> None:
    person, manager = store.person_id("web:asker"), store.person_id("web:their-manager")
    store.save_answer(person, "journal", WELLBEING, WORDS[WELLBEING])
    sharing = SharingService(store)
    sharing.share(person, WELLBEING)
    [first] = store.documents(person, "share")
    for minutes in (0, 5, 6):
        audit.share_viewed(store, first, first.created_at + dt.timedelta(minutes=minutes))
    sharing.stop_sharing(person)
    sharing.share(person, WELLBEING)
    JourneyService(store).confirm_outcome(person, record_outcome(store, manager))

    said = text(audit.AuditReport(store, sharing.journey).report(person))

    assert "you shared 1 answer from “" in said
    assert "Its link was opened 3 times, last on" in said and "was withdrawn on" in said
    assert "Its link has not been opened. It still works, until" in said
    assert "only that someone with it did" in said and "never record their name, address or device" in said
    assert "A manager recorded the outcome of your conversation on" in said and "you confirmed it on" in said
    assert WORDS[WELLBEING] not in said


def test_who_has_seen_with_nothing_shared_says_no_one_has(store: CoachStore) -> None:
    person = store.person_id("web:private")
    store.save_answer(person, "journal", WELLBEING, WORDS[WELLBEING])
    said = text(audit.AuditReport(store, JourneyService(store).journey).report(person))
    assert said == ("No one has seen your answers through me: you haven't shared anything with your manager, so "
                    "your journal is private to you.")


def test_the_export_includes_the_audit_log(store: CoachStore) -> None:
    person = store.person_id("web:exporter")
    store.save_answer(person, "journal", WELLBEING, WORDS[WELLBEING])
    sharing = SharingService(store)
    sharing.share(person, WELLBEING)
    exported = SubjectAccess(store, sharing.journey).export(person)
    [entry] = exported["audit_log"]
    assert (entry["action"], entry["by"], entry["prompt_ids"]) == ("shared", "person", [WELLBEING])
    assert entry["document"] == store.documents(person, "share")[0].name
    page = render_export_html(exported)
    assert "Who has seen my record (the audit log)" in page and "<td>shared</td>" in page


@pytest.mark.parametrize("keep", [False, True])
def test_delete_my_data_leaves_one_erased_entry_and_keeps_only_a_kept_outcomes_entries(
        store: CoachStore, keep: bool) -> None:
    person, other, manager = (store.person_id(s) for s in ("web:leaver", "web:stayer", "web:boss"))
    for who in (person, other):
        store.save_answer(who, "journal", WELLBEING, WORDS[WELLBEING])
        SharingService(store).share(who, WELLBEING)
    JourneyService(store).confirm_outcome(person, record_outcome(store, manager))
    others_before = store.audit_events(other)

    ErasureService(store, keep_confirmed_outcomes=keep).erase(person)

    left = [(e.action, e.person_id) for e in store.audit_events(person)]
    kept = [("outcome_recorded", None), ("outcome_confirmed", person)] if keep else []
    assert left == [*kept, ("erased", person)]
    assert store.audit_events(other) == others_before
    assert len(table(store)) == len(others_before) + len(left)
    said = text(audit.AuditReport(store, JourneyService(store).journey).report(person))
    assert "haven't shared anything with your manager since you deleted your data" in said
    assert "my record of what happened before then went with it" in said


def test_retention_removes_only_entries_older_than_the_limit(store: CoachStore) -> None:
    person, now = store.person_id("web:old"), dt.datetime(2026, 12, 2, 9, 0)
    for days in (400, 366, 364, 1):
        audit.record(store, audit.EXPORTED, audit.PERSON, person, now=now - dt.timedelta(days=days))
    assert audit.purge(store, 365, now) == 2
    assert [(now - e.at).days for e in store.audit_events(person)] == [364, 1]


# Only two functions may delete audit entries (erasure of the person's record, and retention by age); none may
# change one.
ALLOWED_TO_DELETE = {("bot/store/repository.py", "_erase_audit"), ("bot/store/repository.py", "purge_audit")}


def test_no_code_path_updates_audit_entries_or_deletes_them_except_erasure_and_retention() -> None:
    deleting, updating, in_sql = set(), set(), set()
    for path in [*(ROOT / "bot").rglob("*.py"), *(ROOT / "actions").rglob("*.py")]:
        source = path.read_text(encoding="utf-8")
        name = str(path.relative_to(ROOT))
        if re.search(r"(update|delete\s+from)\s+audit_event", source, re.IGNORECASE):
            in_sql.add(name)
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                body = ast.get_source_segment(source, node) or ""
                if "AuditEvent" in body and "delete(" in body:
                    deleting.add((name, node.name))
                if "AuditEvent" in body and ("update(" in body or ".values(" in body):
                    updating.add((name, node.name))
    assert deleting == ALLOWED_TO_DELETE
    assert updating == set() and in_sql == set()


def test_coach_audit_purge_keeps_a_year_by_default_and_coach_export_is_logged_as_the_organisations(
        store: CoachStore, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main

    person, url = store.person_id("web:cli"), str(store.engine.url)
    audit.record(store, audit.EXPORTED, audit.PERSON, person, now=dt.datetime.now() - dt.timedelta(days=366))
    assert main(["audit", "purge", "--database-url", url]) == 0
    assert "Removed 1 audit log entry older than 365 days." in capsys.readouterr().out
    assert main(["export", "--person", person, "--database-url", url]) == 0
    assert [(e.action, e.actor) for e in store.audit_events(person)] == [("exported", "organisation")]
    monkeypatch.setenv("COACH_AUDIT_DAYS", "30")
    audit.record(store, audit.SHARED, audit.PERSON, person, now=dt.datetime.now() - dt.timedelta(days=31))
    assert main(["audit", "purge", "--database-url", url]) == 0
    assert [e.action for e in store.audit_events(person)] == ["exported"]
