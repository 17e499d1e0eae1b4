"""Understanding figures on the labelled sets in tests/data, tuning and held-out apart.

The trained model parses each message (the whole NLU pipeline, gates included); what the coach then does
is read the way the coach reads it: ``JourneyService.read`` for a message said at a question, the rules'
intents for a first message, and ``bot.intake.confirmation`` / ``plan.match_choice`` for a typed choice.
tests/e2e/test_understanding.py checks a sample of each through the running servers.

  in-form        requests acted on as meant, answers stored (tuning: bot/content/in_form_examples*.yml, which the
                 trained second look learns from; held-out: understanding_in_form_held_out*.yml); and the safety
                 check-ins among them once the person says "I'm safe": a skip, "later" or stop in them done; the
                 messages meant otherwise that were stored as the answer, and the messages kept and asked about, with
                 what was meant one press away (the save or skip button, or the request or "Review my answers" offered)
  self-answered  a question asked back and answered at once ("what do I enjoy? teaching the new starters"), kept as the
                 answer, beside real questions followed by a remark (tests/data/self_answered*.yml, judged as in-form)
  off-topic      told plainly it is outside what the coach does; a flow started (must be none)
  in-scope       questions the coach should answer, turned away
  openers        first messages that reach the right intent
  typed choices  what people type instead of pressing a button, acted on as the button would
  career stages  an answer typed at the career stage question in one's own words ("somewhere in the middle", "im 58"):
                 the stage it names, or none when it names none clearly (tests/data/career_stages*.yml)
  coping         a short answer that mentions strain and says the person is managing ("tired but good, the allotment
                 keeps me sane"): the lighter reply, else the fuller one (tests/data/coping*.yml; bot.listening.copes,
                 the NLU plays no part); a not-coping answer given the lighter reply is the mistake that matters
  typed picks    a number or place typed at a numbered list ("3", "the third one"): the button it picks, or none
  menu words     a few words typed at a menu instead of pressing a button ("prepare pls", "rehearse"): the button it
                 picks, or none; a wrong pick is one the person did not mean
  named answers  asking to change an answer named in one's own words ("the support bit"), every question answered:
                 right when the answer meant is among the one to three shown; "all" when the whole list is shown,
                 as it was before answers could be named
                 (bot/picking.py; the NLU plays no part)
  intent F1      weighted F1 over the in-scope questions and openers (the figure `rasa test nlu` reports)
  offered        of those questions and openers the NLU could not place (nlu_fallback), the share whose request
                 "did you mean…?" offers as a button (bot/clarifying.py)

A held-out message that appears word for word in the training data is left out of the held-out figures
(their number is printed). ``--show`` lists the tuning mistakes; ``--show-held-out`` the held-out ones
(read them only after tuning, and never fix one by adding its wording).
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Set, Tuple

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bot import answer_lists, clarifying, intake, listening, picking, plan, reading_model, safety  # noqa: E402
from bot.content import content_path  # noqa: E402
from bot.journey_service import (  # noqa: E402
    DONE_AFTER_CHECK_IN,
    JourneyService,
    asks_who_sees,
    coach_journey,
    met_by_check_in,
    offered_after_check_in,
)
from bot.scope import FLOW_STARTERS  # noqa: E402
from bot.turn import Message  # noqa: E402
from tests.e2e.servers import ROOT, trained_model  # noqa: E402

DATA = ROOT / "tests" / "data"
# Replies that say plainly what the coach is for (utter_out_of_scope, utter_default, utter_inform_outside_form,
# utter_other_language all do). A flow starts from the intents in bot.scope.FLOW_STARTERS.
EXPLICIT = {"out_of_scope", "nlu_fallback", "inform", "other_language"}
# The labels are coarser than the domain's intents: these count as the labelled one.
SAME_AS = {"manager_mode": {"manager_prepare", "rehearse", "record_outcome"},
           "privacy_what_kept": {"delete_data"}, "find_resources": {"feeling_stressed"},
           "start_journey": {"where_was_i"}}


@dataclass
class Parsed:
    text: str
    intent: str
    ranking: Tuple[Dict[str, Any], ...] = ()
    data: Dict[str, Any] = field(default_factory=dict)  # the whole parse (scope gate, FAQ answer: Message.parsed)


def training_texts() -> Set[str]:
    texts: Set[str] = set()
    for path in (ROOT / "data" / "nlu").glob("*.yml"):
        for block in yaml.safe_load(path.read_text()).get("nlu", []):
            for line in (block.get("examples") or "").splitlines():
                texts.add(normal(re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", line.strip()[2:])))
    return texts


def normal(text: str) -> str:
    return text.lower().strip(" ?.!")


async def parse_all(model: Path, texts: Iterable[str]) -> Dict[str, Parsed]:
    import logging

    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    # Rasa's debug log prints every parsed message, held-out ones included; nobody may read those.
    configure_structlog(logging.WARNING)
    agent = Agent.load(str(model))
    parsed: Dict[str, Parsed] = {}
    for text in sorted(set(texts)):
        data = await agent.parse_message(text)
        intent = (data.get("intent") or {}).get("name") or ""
        parsed[text] = Parsed(text, intent, tuple(data.get("intent_ranking") or ()), data)
    return parsed


def message(p: Parsed) -> Message:
    """The message as the actions see it at a question (actions.base.message_of)."""
    return Message.parsed(p.text, p.data)


def same(expected: str, got: Optional[str]) -> bool:
    return got == expected or got in SAME_AS.get(expected, set())


# What the coach does with each labelled message: (right?, what it did)

def in_form(item: Dict[str, Any], p: Parsed) -> Tuple[bool, str]:
    if p.intent in ("risk_of_harm", "risk_unclear"):
        return False, p.intent
    prompt = coach_journey().find_prompt(item["prompt"])
    reading = JourneyService.read(prompt, message(p))
    return as_meant(item, reading), reading.kind + (f":{reading.intent}" if reading.intent else "")


def as_meant(item: Dict[str, Any], reading: intake.Reading) -> bool:
    """Whether the coach's reading of a labelled in-form message does what the person meant."""
    expected = item["expect"]
    if expected in (intake.SKIP, intake.LATER):  # both leave the question unanswered for now
        return reading.kind in (intake.SKIP, intake.LATER)
    if expected == intake.CHANGE:
        return reading.kind == intake.CHANGE or reading.intent in ("review_journal", "edit_answer")
    if expected == intake.REQUEST and item["intent"] == "where_was_i" and reading.kind == intake.QUESTION:
        # A question about how far through, answered with the place and the question again, as "where was I?" is.
        return intake.asks_where(item["text"])
    if expected == intake.REQUEST and item["intent"] == "review_journal" and reading.kind == intake.QUESTION:
        # Asking back what one wrote, answered with the answers and the question again (JourneyService._recalled).
        return intake.recalls_an_answer(item["text"])
    if expected == intake.REQUEST:
        return reading.kind == intake.REQUEST and same(item["intent"], reading.intent)
    return reading.kind == expected


# Other requests said in the words of a question about who sees the journal, or answering it
# (intake.TELL_WHO_SEES: saying what is kept, or who has seen it).
OTHER_PRIVACY = {"delete_data", "download_my_data", "stop_sharing", "share_with_manager", "review_journal",
                 *intake.TELL_WHO_SEES}


def who_sees(item: Dict[str, Any], p: Parsed) -> Tuple[bool, str]:
    """Typed at a journey question: a question about who sees the journal is answered in place
    (JourneyService._who_sees) or by the request that says who has; an answer in the same words is stored; another
    privacy request is acted on."""
    if p.intent in ("risk_of_harm", "risk_unclear"):
        return False, p.intent
    said = message(p)
    reading = JourneyService.read(coach_journey().find_prompt(item["prompt"]), said)
    if reading.kind == intake.QUESTION and asks_who_sees(said):
        did = "who_sees"
    else:
        did = reading.kind + (f":{reading.intent}" if reading.intent else "")
    expected = item["expect"]
    if expected == "who_sees":
        return did == "who_sees" or reading.kind == intake.REQUEST and reading.intent in intake.TELL_WHO_SEES, did
    if expected == "answer":
        return reading.is_answer, did
    return reading.kind == intake.REQUEST and reading.intent in OTHER_PRIVACY, did


def off_topic(item: Dict[str, Any], p: Parsed) -> Tuple[bool, str]:
    return p.intent in EXPLICIT, p.intent


def in_scope(item: Dict[str, Any], p: Parsed) -> Tuple[bool, str]:
    return p.intent not in EXPLICIT, p.intent


def offered(item: Dict[str, Any], p: Parsed) -> Tuple[bool, str]:
    """A question the NLU could not place: whether "did you mean…?" offers the request it asks for."""
    buttons = clarifying.did_you_mean(p.ranking).replies[0].buttons
    offers = [b["payload"].lstrip("/") for b in buttons if b["payload"] != clarifying.SEE_WHAT_I_CAN_DO["payload"]]
    return any(same(item["intent"], o) for o in offers), ",".join(offers) or "nothing"


def opener(item: Dict[str, Any], p: Parsed) -> Tuple[bool, str]:
    return same(item["expect"], p.intent), p.intent


def typed_choice(item: Dict[str, Any], p: Parsed) -> Tuple[bool, str]:
    offer, text = item["offer"], item["text"]
    if offer == "carry_on":  # the rules for pending_confirmation carry_on (data/rules/journey.yml)
        did = {"where_was_i": "where_was_i", "deny": "stop", "stop": "stop", "goodbye": "stop"}.get(p.intent, p.intent)
        if p.intent in ("affirm", "skip", "nlu_fallback"):  # action_carry_on (JourneyService.carry_on)
            did = {True: "where_was_i", False: "stop"}.get(intake.carries_on(text, p.intent), p.intent)
    elif offer == "delete_data":
        did = p.intent
    elif offer == "save_plan":  # JourneyService._take_summary: only a yes saves
        prompt = coach_journey().find_prompt("stage3.summary")
        reading = JourneyService.read(prompt, message(p))
        did = "save" if reading.is_answer and intake.confirmation(text) else "change"
    else:
        prompt = coach_journey().find_prompt("stage2.placement" if offer == "placement" else "stage2.growth")
        reading = JourneyService.read(prompt, message(p))
        picked = plan.match_choice("growth", text) if reading.is_answer else None
        confirmed = offer == "placement" and reading.is_answer and intake.confirmation(text)
        did = picked or ("confirm" if confirmed else reading.kind)
    return did == item["expect"], did


def career_stage(item: Dict[str, Any], p: Parsed) -> Tuple[bool, str]:
    """The stage taken from a message typed at the career stage question (JourneyService._take_choice), or what
    else the coach reads it as."""
    reading = JourneyService.read(coach_journey().find_prompt("journal.career.stage"), message(p))
    picked = plan.picked_option("career_stage", item["text"]) if reading.is_answer else None
    return picked == item["expect"], picked or f"none ({reading.kind})"


def coping(item: Dict[str, Any], p: Parsed) -> Tuple[bool, str]:
    said = listening.copes(item["text"])
    return said == item["copes"], "lighter reply" if said else "fuller reply"


def load(name: str, key: str = "examples") -> List[Dict[str, Any]]:
    return yaml.safe_load((DATA / name).read_text())[key]


def score(title: str, items: List[Dict[str, Any]], parsed: Dict[str, Parsed],
          judge: Callable[[Dict[str, Any], Parsed], Tuple[bool, str]], seen: Set[str], show: Tuple[bool, bool],
          by: str = "expect") -> Dict[str, Any]:
    """Print one line per part (tuning, held-out): share right, and what went wrong."""
    result: Dict[str, Any] = {}
    for part, chosen in (("tuning", [i for i in items if not i.get("held_out")]),
                         ("held-out", [i for i in items if i.get("held_out")])):
        if not chosen:  # a batch that is all tuning, or all held out
            continue
        if part == "held-out":
            left_out = [i for i in chosen if normal(i["text"]) in seen]
            chosen = [i for i in chosen if normal(i["text"]) not in seen]
        outcomes = [(i, *judge(i, parsed[i["text"]])) for i in chosen]
        right = sum(ok for _, ok, _ in outcomes)
        wrong = Counter(str(i.get(by)) for i, ok, _ in outcomes if not ok)
        note = f" ({len(left_out)} left out: in the training data)" if part == "held-out" and left_out else ""
        share = right / len(outcomes) if outcomes else 0.0
        print(f"  {title:14} {part:8} {share:6.1%} of {len(outcomes):3}{note}; wrong by label: {dict(wrong)}")
        taken = Counter(did.split(":")[0] for _, ok, did in outcomes if not ok)
        print(f"  {'':14} {'':8} taken as: {dict(taken)}")
        if show[part == "held-out"]:
            for item, ok, did in outcomes:
                if not ok:
                    print(f"      {item.get(by)!s:18} -> {did:28} {item['text']!r}")
        result[part] = {"share": share, "count": len(outcomes), "outcomes": outcomes}
    return result


def after_check_in(result: Dict[str, Any], parsed: Dict[str, Parsed]) -> str:
    """The in-form messages the safety check-in met, once the person says they are safe: those from the classifiers
    alone are read again (actions.base.unsure_words), with the intent the NLU chose before the gate imposed the
    check-in; a skip, "later", stop, question about the question or change of an earlier answer among them is then
    done (JourneyService._after_check_in; a skip and a "later" are done alike), and a request offered as its button.
    Answers are never kept: the person types them again."""
    counts = []
    for part, r in result.items():
        met = [item for item, _, did in r["outcomes"] if did == "risk_unclear"]
        unsure = [item for item in met if not safety.verdict(item["text"], parsed[item["text"]].data).names_risk]
        readings = {item["text"]: JourneyService.read(coach_journey().find_prompt(item["prompt"]), met_by_check_in(
            item["text"], parsed[item["text"]].data)) for item in unsure}
        asked_off = [item for item in met if item["expect"] in DONE_AFTER_CHECK_IN]
        done = sum(as_meant(item, readings[item["text"]]) for item in asked_off if item in unsure)
        requests = [item for item in met if item["expect"] == intake.REQUEST]
        offered = sum(item in unsure and one_press(item, offered_after_check_in(readings[item["text"]]))
                      for item in requests)
        counts.append(f"{part} {len(met)} met ({len(unsure)} by the classifiers alone), {done} of the "
                      f"{len(asked_off)} skips, 'later', stops, questions and changes then done, {offered} of the "
                      f"{len(requests)} requests offered")
    return "; ".join(counts)


def kept_as_answers(result: Dict[str, Any], parsed: Dict[str, Parsed]) -> str:
    """The silent mistakes: requests, skips, stops and changes stored as the answer. And the messages whose words were
    kept and asked about ("Save it as my answer", "Skip this question" and the requests guessed), with what was meant
    one press away."""
    counts = []
    for part, r in result.items():
        silent = sum(item["expect"] != intake.ANSWER and did == intake.ANSWER for item, _, did in r["outcomes"])
        asked = [item for item, _, did in r["outcomes"] if did == intake.UNCLEAR]
        near = sum(one_press(item, offers(item, parsed[item["text"]])) for item in asked)
        counts.append(f"{part} {silent} stored as the answer; {len(asked)} kept and asked about, {near} of them with "
                      "what was meant one press away")
    return "; ".join(counts)


def one_press(item: Dict[str, Any], offered: List[str]) -> bool:
    expected = item["expect"]
    if expected in (intake.ANSWER, intake.SKIP, intake.LATER):
        return True
    if expected == intake.CHANGE:
        return intake.REVIEW in offered
    return expected == intake.REQUEST and any(same(item["intent"], o) for o in offered)


def offers(item: Dict[str, Any], p: Parsed) -> List[str]:
    """The requests offered beside "save" and "skip" for words kept at a question (JourneyService.take): the one the
    words point to, then the NLU's guesses."""
    return clarifying.guesses(message(p).ranking,
                              JourneyService.read(coach_journey().find_prompt(item["prompt"]), message(p)).offer)


def flows_started(result: Dict[str, Any]) -> str:
    return ", ".join(f"{part} {sum(did in FLOW_STARTERS for _, _, did in r['outcomes'])}"
                     for part, r in result.items())


def typed_pick(item: Dict[str, Any], p: Parsed) -> Tuple[bool, str]:
    shown = item["shown"]
    numbers = range(5, 9) if shown == "5-8" else range(1, int(shown) + 1)
    button = picking.picked(item["text"], [{"title": f"Answer {n}", "payload": f"/{n}"} for n in numbers])
    did = button["payload"].lstrip("/") if button else "none"
    return did == str(item["expect"] or "none"), did


def menu_word(item: Dict[str, Any], p: Parsed) -> Tuple[bool, str]:
    button = picking.picked(item["text"], item["buttons"])
    did = str(button["title"]) if button else "none"
    return did == str(item["expect"]), did


def named_answer(item: Dict[str, Any], p: Parsed) -> Tuple[bool, str]:
    asked = [prompt for flow in coach_journey().flows if flow.id in ("journal", "stage1", "stage2", "stage3")
             for prompt in flow.prompts]
    shown = [prompt.id for prompt in answer_lists.named(asked, intake.naming_words(item["text"]), item["text"])]
    meant = set(item["expect"])
    if not shown:
        return False, "all"
    return bool(meant & set(shown)), "right" if meant & set(shown) else "wrong:" + ",".join(shown)


def weighted_f1(pairs: List[Tuple[str, str]]) -> float:
    from sklearn.metrics import f1_score

    truth = [t for t, _ in pairs]
    predicted = [t if same(t, p) else p for t, p in pairs]
    return float(f1_score(truth, predicted, average="weighted", zero_division=0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--show", action="store_true", help="list the tuning mistakes")
    parser.add_argument("--show-held-out", action="store_true", help="list the held-out mistakes")
    args = parser.parse_args()
    show = (args.show, args.show_held_out)

    # The tuning batches are what the trained second look learns from (bot/reading_model.py); the held-out ones never.
    paths = [content_path(name) for name in reading_model.EXAMPLES_FILES]
    paths += sorted(DATA.glob("understanding_in_form_held_out*.yml"))
    batches = {path.stem: [dict(i, held_out="held_out" in path.stem)
                           for i in yaml.safe_load(path.read_text())["examples"]] for path in paths}
    in_form_items = [item for items in batches.values() for item in items]
    openers = load("understanding_openers.yml", "openers")
    choices = load("understanding_openers.yml", "typed_choices")
    picks = [dict(i, held_out="held_out" in name) for name in ("typed_picks.yml", "typed_picks_held_out.yml")
             for i in load(name, "picks")]
    self_answered = [dict(i, held_out="held_out" in name) for name in ("self_answered.yml",
                                                                       "self_answered_held_out.yml")
                     for i in load(name)]
    stages = [dict(i, held_out="held_out" in name) for name in ("career_stages.yml", "career_stages_held_out.yml")
              for i in load(name, "stages")]
    privacy = [dict(i, held_out="held_out" in name) for name in ("privacy_questions.yml",
                                                                 "privacy_questions_held_out.yml")
               for i in load(name)]
    off_sets = {name: load(name) for name in ("off_topic.yml", "off_topic_2.yml")}
    scope_sets = {name: load(name) for name in ("in_scope.yml", "in_scope_2.yml")}
    off = [item for items in off_sets.values() for item in items]
    scope = [item for items in scope_sets.values() for item in items]
    everything = [i["text"] for i in [*in_form_items, *self_answered, *privacy, *openers, *choices, *stages, *off,
                                      *scope]]
    model = trained_model()
    print(f"model {model.name}; {len(set(everything))} messages")
    parsed = asyncio.run(parse_all(model, everything))
    seen = training_texts()

    forms = score("in-form", in_form_items, parsed, in_form, seen, show)
    print(f"  {'':14} the safety check-in, then \"I'm safe\": {after_check_in(forms, parsed)}")
    print(f"  {'':14} meant otherwise: {kept_as_answers(forms, parsed)}")
    for name, items in batches.items():  # each batch alone, for its figure at first sight
        batch = name.removeprefix("understanding_in_form").removeprefix("in_form_examples").strip("_")
        score(f"  {batch or 'batch 1'}", items, parsed, in_form, seen, (False, False))
    score("self-answered", self_answered, parsed, in_form, seen, show)
    score("who sees it", privacy, parsed, who_sees, seen, show)
    offs = score("off-topic", off, parsed, off_topic, seen, show, by="domain")
    print(f"  {'':14} flows started by an off-topic message: {flows_started(offs)}")
    for name, items in off_sets.items():  # each set alone, for its figure at first sight
        score(f"  {Path(name).stem}", items, parsed, off_topic, seen, (False, False), by="domain")
    score("in-scope", scope, parsed, in_scope, seen, show, by="intent")
    for name, items in scope_sets.items():
        score(f"  {Path(name).stem}", items, parsed, in_scope, seen, (False, False), by="intent")
    score("openers", openers, parsed, opener, seen, show)
    unplaced = [dict(i, intent=i.get("intent") or i["expect"]) for i in [*scope, *openers]
                if parsed[i["text"]].intent == "nlu_fallback"]
    score("  offered", unplaced, parsed, offered, seen, show, by="intent")
    score("typed choices", choices, parsed, typed_choice, seen, show)
    score("career stages", stages, parsed, career_stage, seen, show)
    coping_answers = [dict(i, held_out="held_out" in name) for name in ("coping.yml", "coping_held_out.yml")
                      for i in load(name, "answers")]
    score("coping", coping_answers, {i["text"]: Parsed(i["text"], "none") for i in coping_answers}, coping, set(),
          show, by="copes")
    score("typed picks", picks, {i["text"]: Parsed(i["text"], "none") for i in picks}, typed_pick, set(), show)
    typed_at_menus = [dict(i, held_out="held_out" in name, buttons=data["menus"][i["menu"]])
                      for name in ("menu_words.yml", "menu_words_held_out.yml")
                      for data in [yaml.safe_load((DATA / name).read_text())] for i in data["typed"]]
    score("menu words", typed_at_menus, {i["text"]: Parsed(i["text"], "none") for i in typed_at_menus}, menu_word,
          set(), show)
    names = [dict(i, held_out="held_out" in name, expect=i["expect"]) for name in ("named_answers.yml",
             "named_answers_held_out.yml") for i in load(name, "named")]
    score("named answers", names, {i["text"]: Parsed(i["text"], "none") for i in names}, named_answer, set(), show)
    for part, held in (("tuning", False), ("held-out", True)):
        pairs = [(i.get("intent") or i["expect"], parsed[i["text"]].intent) for i in [*scope, *openers]
                 if bool(i.get("held_out")) == held and not (held and normal(i["text"]) in seen)]
        print(f"  {'intent F1':14} {part:8} {weighted_f1(pairs):6.3f} over {len(pairs)} in-scope questions and "
              "openers")


if __name__ == "__main__":
    main()
