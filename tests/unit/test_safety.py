"""The safety detector: disclosures get urgent help, idioms and clinical talk do not alarm.

Tuning examples (bot/content/safety_examples*.yml) are checked one by one. The held-out batches
(tests/data/safety_held_out*.yml) are checked only in aggregate, so that their wording is never tuned against.
"""

from __future__ import annotations

from pathlib import Path
from typing import List

import pytest
import yaml

from bot.language import nlp
from bot.risk_classifier import Example
from bot.safety import CONCERN, CRISIS, NONE, STRAIN, assess, clean_text, load_lexicon
from tests.safety_sets import check_in_replies, held_out, told_as_answers, tuning

URGENT = (CRISIS, CONCERN)  # both replies carry the urgent numbers
RISK: List[Example] = [m for m in tuning() if m.risk]
NON_RISK: List[Example] = [m for m in tuning() if not m.risk]
STRAIN_ONLY = [m for m in NON_RISK if m.expect == (STRAIN,)]
# Documented in docs/safety.md: at most 1 alarm per 25 idioms or stress messages, and the held-out
# recall goal the issue sets.
IDIOM_ALARM_CEILING = 1 / 25
TUNING_CRISIS_ALARM_CEILING = 0.03
# The goals the safety net's issue sets for held-out data: 98% urgent help, at most 1 alarm in 25 idioms or stress
# messages. Both were met on 2026-12-06 (1,804 of 1,833; 27 of 748), so a change that loses either fails here.
HELD_OUT_RECALL_FLOOR = 0.98
HELD_OUT_IDIOM_ALARM_CEILING = 1 / 25


def lexicon_urgent(text: str) -> bool:
    """Whether the lexicon alone, without the classifier's second opinion, gives the urgent numbers."""
    return assess(text, second_opinion=False).level in URGENT


def test_labelled_sets_are_big_enough_and_a_third_is_held_out() -> None:
    kept_apart = held_out()
    risk = len(RISK) + sum(m.risk for m in kept_apart)
    calm = len(NON_RISK) + sum(not m.risk for m in kept_apart)
    assert risk >= 400 and calm >= 400
    assert sum(m.risk for m in kept_apart) >= risk / 3
    assert sum(not m.risk for m in kept_apart) >= calm / 3
    assert not {m.text for m in kept_apart} & {m.text for m in tuning()}


@pytest.mark.parametrize("item", RISK, ids=[m.text[:50] for m in RISK])
def test_every_tuning_risk_message_gets_urgent_help(item: Example) -> None:
    assert assess(item.text).level in URGENT


def test_tuning_non_risk_messages_rarely_raise_a_crisis() -> None:
    """The later batches hold hard look-alikes ("my sister will kill me if I miss her birthday"); the
    lexicon still reads a few as a crisis (docs/safety.md lists the kinds). Counted, not per message."""
    crises = [m.text for m in NON_RISK if assess(m.text).level == CRISIS]
    assert len(crises) / len(NON_RISK) <= TUNING_CRISIS_ALARM_CEILING, crises


def test_idioms_and_stress_rarely_get_the_check_in() -> None:
    """Tuning messages meet the goal (at most 1 in 25). Held-out ones, written by other hands, do not
    yet: their ceiling only guards against getting worse (docs/safety.md has the figures)."""
    for items, ceiling in ((tuning(), IDIOM_ALARM_CEILING), (held_out(), HELD_OUT_IDIOM_ALARM_CEILING)):
        calm = [m for m in items if m.is_idiom_or_stress]
        alarms = [m.text for m in calm if assess(m.text).level in URGENT]
        assert len(alarms) / len(calm) <= ceiling, len(alarms)


def test_held_out_recall_stays_above_the_floor() -> None:
    """Counted only: the held-out wording is never shown, so nobody tunes against it."""
    risk = [m for m in held_out() if m.risk]
    caught = sum(assess(m.text).level in URGENT for m in risk)
    assert caught / len(risk) >= HELD_OUT_RECALL_FLOOR, f"{caught} of {len(risk)}"


# Replies typed at the check-in ("Are you safe at the moment?"): only a reply that says "safe" carries on.
CHECK_IN_TUNING = check_in_replies(held=False)


@pytest.mark.parametrize("reply", ["im safe", "yes, all good x", "I'm fine honestly, don't worry", "yeah im ok 🙂",
                                   "carry on"])
def test_a_reply_that_only_says_safe_is_reassured_without_asking_the_classifier(reply: str) -> None:
    result = assess(reply)
    assert result.reassured and result.level == NONE and result.score is None


@pytest.mark.parametrize("reply", ["im safe, just a long shift", "yes im ok. it was about a patient",
                                   "fine just tired"])
def test_a_reply_that_says_safe_first_and_then_explains_is_reassured(reply: str) -> None:
    assert assess(reply).reassured


@pytest.mark.parametrize("reply", ["safe for now", "im fine but i keep thinking about it", "im ok. (im not)", "no",
                                   "unsure", "yes but ive got a plan", "i think so", "im safe, he's asleep",
                                   "im not safe", "ok for tonight", "im safe but i want to die"])
def test_a_reply_that_hedges_takes_it_back_or_says_no_is_not_reassured(reply: str) -> None:
    assert not assess(reply).reassured


@pytest.mark.parametrize("reply", [text for text, safe in CHECK_IN_TUNING if not safe])
def test_every_tuning_reply_that_is_not_plainly_safe_gets_the_urgent_numbers_again(reply: str) -> None:
    assert not assess(reply).reassured


def test_most_tuning_replies_that_say_safe_carry_on() -> None:
    safe = [text for text, says_safe in CHECK_IN_TUNING if says_safe]
    carried = sum(assess(text).reassured for text in safe)
    assert carried >= 83, f"{carried} of {len(safe)}"  # docs/safety.md


def test_held_out_check_in_replies_never_carry_on_unsafe_and_mostly_carry_on_safe() -> None:
    """Counted only. At first sight: every unsafe reply given the urgent numbers (30 of 30), and 26 of 50 safe
    replies carried on; the rest get the urgent numbers again, the cautious mistake."""
    replies = check_in_replies(held=True)
    unsafe_carried = sum(assess(text).reassured for text, safe in replies if not safe)
    safe_carried = sum(assess(text).reassured for text, safe in replies if safe)
    assert unsafe_carried == 0
    assert safe_carried >= 26, f"{safe_carried}"


def test_everyday_answers_to_the_coachs_questions_rarely_get_the_check_in() -> None:
    """Held out (tests/data/safety_everyday_held_out.yml, written first by another hand), counted only. 15 of 150
    got the check-in at first sight, 12 with the classifier of 2026-12-02 (docs/safety.md). The ceiling guards
    against getting worse."""
    path = Path(__file__).resolve().parent.parent / "data" / "safety_everyday_held_out.yml"
    messages = yaml.safe_load(path.read_text(encoding="utf-8"))["messages"]
    alarms = sum(assess(m).level in URGENT for m in messages)
    assert alarms <= 12, f"{alarms} of {len(messages)}"


def test_disclosures_told_as_answers_get_urgent_help_and_answers_rarely_do() -> None:
    """tests/data/safety_answers.yml, not in the classifier's examples: every one of 162 disclosures got urgent help
    when the set arrived, and 10 of 207 everyday answers did, 8 after the round of 2026-12-05, and 9 since the
    check-in bar moved to 0.61 (docs/safety.md, 2026-12-06): held at the level the set arrived with."""
    items = told_as_answers()
    missed = [e.text for e in items if e.risk and not assess(e.text).needs_urgent_help]
    alarms = sum(assess(e.text).needs_urgent_help for e in items if not e.risk)
    assert not missed
    assert alarms <= 10, f"{alarms} of {sum(not e.risk for e in items)}"


@pytest.mark.parametrize(
    "text",
    [
        "this rota is killing me",
        "I'm dying to apply",
        "I'd kill for a day off",
        "my feet are killing me",
        "dead tired",
        "that meeting was murder",
        "I could kill for a coffee",
        "stop doing nights tbh, theyre killing me",  # "they" are the nights
        "these new shoes, they are killing me",
    ],
)
def test_workplace_idioms_never_raise_a_crisis(text: str) -> None:
    assert assess(text).level in (NONE, STRAIN)


@pytest.mark.xfail(strict=True, reason="Known false alarm: 'OD' for Organisational Development reads as an overdose. "
                   "Written in capitals it is also how people type 'gonna OD', so it is left as an alarm.")
@pytest.mark.parametrize("text", ["i'd rather talk this through with someone from careers or OD",
                                  "I'd like a secondment in OD"])
def test_organisational_development_called_od_does_not_raise_a_crisis(text: str) -> None:
    assert not assess(text).is_crisis


@pytest.mark.parametrize("text", ["stop", "Stop.", "skip", "pause", "next", "done", "cancel", "where was I?",
                                  "add 2 and 5", "4 and 6 please", "1 and 4", "add 3, 4 and 6"])
def test_the_coachs_own_commands_never_get_the_check_in(text: str) -> None:
    # The introduction tells people to say "stop" to pause; that must not read as a cry for help.
    assert not assess(text).needs_urgent_help


@pytest.mark.parametrize("text", [m.text for m in STRAIN_ONLY][:12])
def test_stress_and_burnout_take_the_lighter_wellbeing_path(text: str) -> None:
    result = assess(str(text))
    assert result.level == STRAIN
    assert not result.is_crisis


@pytest.mark.parametrize("text", ["I feel suicidal", "I don't feel safe at home", "i want to kill my self",
                                  "im going to kil my self tonight", "I'm in danger right now",
                                  "I'm scared I'll hurt myself tonight", "been thinking about suacide again",
                                  "i want to end my self", "gonna od after this shift"])
def test_the_disclosures_that_were_missed_are_a_crisis(text: str) -> None:
    assert assess(text).level == CRISIS


@pytest.mark.parametrize("text", ["I want out.", "This is goodbye.", "my funeral"])
def test_unclear_wording_gets_the_gentle_check_in(text: str) -> None:
    assert lexicon_urgent(text)


class Scores:
    """A stand-in classifier that gives every message the same score."""

    def __init__(self, score: float) -> None:
        self.score = score

    def probability(self, text: str) -> float:
        return self.score


def test_a_high_classifier_score_is_a_check_in_even_where_the_lexicon_saw_an_idiom() -> None:
    sure, unsure = Scores(0.99), Scores(0.1)
    assert assess("the river looks so calm tonight", classifier=sure).level == CONCERN  # type: ignore[arg-type]
    assert assess("the river looks so calm tonight", classifier=unsure).level == NONE  # type: ignore[arg-type]
    assert assess("this rota is killing me", classifier=sure).level == CONCERN  # type: ignore[arg-type]
    assert assess("this rota is killing me", classifier=unsure).level == STRAIN  # type: ignore[arg-type]
    assert assess("This is goodbye.", classifier=sure).level == CRISIS  # type: ignore[arg-type]
    assert assess("This is goodbye.", classifier=unsure).level == CONCERN  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["park it, I'm still thinking",
                                  "park this one for now, I want to think about it properly",
                                  "can i have a think about that and come back to it"])
def test_asking_to_skip_or_come_back_to_the_question_explains_the_classifiers_unease(text: str) -> None:
    result = assess(text, classifier=Scores(0.99))  # type: ignore[arg-type]
    assert result.level == NONE and result.explained_away


@pytest.mark.parametrize("text", ["Goodbye. Thank you for trying to help me, it's not your fault",
                                  "cant do this nemore. got the pills. bye",
                                  "I've updated my will and written letters to the kids. Just wanted everything "
                                  "in order before."])
def test_a_farewell_or_affairs_put_in_order_still_gets_the_check_in_whatever_they_share_with_leaving(
        text: str) -> None:
    assert assess(text, classifier=Scores(0.99)).level in URGENT  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["leave it blank, I won't need a plan where I'm going",
                                  "skip this one, won't matter soon anyway"])
def test_a_skip_whose_other_words_give_no_reason_for_it_keeps_the_classifiers_check_in(text: str) -> None:
    assert assess(text, classifier=Scores(0.99)).level in URGENT  # type: ignore[arg-type]


@pytest.mark.parametrize("text, urgent", [
    ("can we skip this, i dont see a way out", True),
    ("skip it, there's no future for me", True),
    ("leave it blank, I won't need a plan where I'm going", True),
    ("I don't see a way out of band 5 without a degree", False),
    ("there's no future for me in this trust", False),
    ("I don't know where I'm going with my career", False),
    ("I'll apply next year if I'm still here", False),
])
def test_no_way_out_or_no_future_said_at_the_end_gets_the_check_in_but_not_of_a_band_or_a_trust(
        text: str, urgent: bool) -> None:
    assert lexicon_urgent(text) == urgent


@pytest.mark.parametrize("text", ["skip this one, I won't be around to need a career",
                                  "come back to it later, I want to die"])
def test_words_of_risk_beside_a_skip_keep_their_alarm(text: str) -> None:
    assert assess(text).level in URGENT


def test_misspellings_near_a_lexicon_word_are_read_as_it_but_overdue_is_not() -> None:
    assert assess("thinking about sucicide", second_opinion=False).is_crisis
    assert assess("my appraisal is overdue", second_opinion=False).level == NONE


def test_a_plain_denial_is_a_wellbeing_check_not_an_alarm() -> None:
    assert assess("I would never hurt myself, I have my kids").level == STRAIN


def test_a_denial_followed_by_a_disclosure_is_a_crisis() -> None:
    result = assess("I'm not suicidal but I don't want to be here any more")
    assert result.level == CRISIS
    assert result.category == "suicide"


def test_clinical_talk_about_patients_is_not_a_disclosure() -> None:
    result = assess("A patient self-harmed on the ward and we admitted an overdose")
    assert result.level == NONE
    assert any("clinical" in reason for reason in result.reasons)


def test_the_same_words_about_myself_are_a_disclosure() -> None:
    assert assess("I self-harmed on the ward after my shift").is_crisis


@pytest.mark.parametrize("text", [
    "pt took an overdose of sertraline and vodka",
    "quality improvement project on repeat overdose attenders",
    "patient with dementia hit me while I was doing personal care",
    "overdosed on mince pies at the christmas do",
    "suicide mission trying to get a parking space after 8am",
    "a patient threatened to punch me, I de-escalated and security attended",
    "I slipped the domestic abuse helpline card to the patient in the privacy of the toilet",
    "the lady in bay 2 keeps saying she wants to die, palliative care are involved",
])
def test_ward_shorthand_and_figures_of_speech_are_not_disclosures(text: str) -> None:
    assert assess(text, second_opinion=False).level == NONE


@pytest.mark.parametrize("text", [
    "i took an overdose last night",
    "my partner hit me while I was asleep",
    "the patient hit me and then I went home and took an overdose",
    "I rang the domestic abuse helpline because my husband hits me",
    "my partner threatened to punch me",
])
def test_the_same_words_about_myself_or_my_partner_are_still_a_crisis(text: str) -> None:
    assert assess(text, second_opinion=False).is_crisis


def test_the_most_severe_category_is_reported() -> None:
    assert assess("I can't cope anymore and I want to kill myself").category == "suicide"


def test_reasons_say_what_was_matched() -> None:
    result = assess("my partner hits me")
    assert result.category == "abuse"
    assert any("hits me" in reason for reason in result.reasons)


def test_a_parsed_doc_can_be_reused() -> None:
    doc = nlp()("I want to die")
    assert assess("I want to die", doc=doc).is_crisis


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\n\n",
        "😀😀😀",
        "<script>alert(1)</script>",
        "Je veux mourir",
        "我很好",
        "\x00\x01\ufeff",
        "a" * 5000,
        "<" * 3000 + "&amp;" * 500,
    ],
)
def test_odd_input_does_not_crash(text: str) -> None:
    assert assess(text).level in (CRISIS, CONCERN, STRAIN, NONE)


def test_a_disclosure_wrapped_in_html_or_spaced_out_is_still_a_crisis() -> None:
    assert assess("<b>i want to</b> <i>die</i> <script>alert(1)</script>").is_crisis
    assert assess("i   want to \t die").is_crisis


def test_html_is_stripped_before_looking() -> None:
    assert clean_text("<p>I want to <b>kill myself</b></p>").split() == ["I", "want", "to", "kill", "myself"]
    assert assess("<p>I want to <b>kill myself</b></p>").is_crisis


def test_disclosure_at_the_start_of_a_huge_message_is_found() -> None:
    filler = "We discussed the rota and the audit at the ward meeting. " * 1800
    assert assess("I want to kill myself. " + filler).is_crisis


def test_disclosure_at_the_end_of_a_huge_message_is_found() -> None:
    filler = "We discussed the rota and the audit at the ward meeting. " * 1800
    assert assess(filler + " Honestly I don't want to be here anymore.").is_crisis


def test_disclosure_in_the_middle_of_a_huge_message_is_found() -> None:
    filler = "We discussed the rota and the audit at the ward meeting. " * 900
    assert assess(filler + " i want to die. " + filler).is_crisis


def test_huge_harmless_message_is_not_a_crisis() -> None:
    filler = "We discussed the rota and the audit at the ward meeting. " * 1800
    assert assess(filler).level == NONE


def test_lexicon_file_loads_and_every_pattern_compiles() -> None:
    lexicon = load_lexicon()
    assert lexicon.index
    assert {"kill_self", "abuse", "acute_distress", "something_is_killing_me"} <= set(lexicon.owners)


@pytest.mark.parametrize("text", [
    "Might as well top myself, I've got nothing left",
    "just took a packet of co-codamol, what do i do",
    "Went back to cutting, back to work",
])
def test_slang_overdose_and_habit_disclosures_are_a_crisis(text: str) -> None:
    assert assess(text, second_opinion=False).is_crisis


@pytest.mark.parametrize("text", [
    "I'm going to jump", "i have the cord ready", "getting my affairs in order", "this is prob my last msg",
    "im in crisis and the crisis line isnt answering", "i need help now not tomorrow", "🆘 not safe",
])
def test_plans_means_farewells_and_pleas_get_at_least_the_check_in(text: str) -> None:
    assert lexicon_urgent(text)


@pytest.mark.parametrize("text", [
    "I need to top myself up with coffee", "I'm going to jump at the chance of a band 6",
    "I need help now with my CV", "I'm in crisis mode with the audit", "going to cut my hours after Christmas",
    "new cuts to the budget",
])
def test_the_same_words_in_everyday_senses_are_not_alarms(text: str) -> None:
    assert assess(text, second_opinion=False).level not in URGENT


# Written for forms the classifier alone had caught in the tuning batches: the lexicon now reads them too, so
# they get the crisis reply rather than only the check-in (docs/safety.md, 2026-12-05).
@pytest.mark.parametrize("text", [
    "i slef harm when i cant sleep", "gf threw hot tea at me again", "feel like ending my lyf",
    "i wana end it al 2nite", "best if i was not hear any more", "sui thoughts every day", "i want to dye, i really do",
    "have razor, bath's running", "nobody knows about the cuts", "my thighs are covered in marks i made",
    "gonna bring a knife in tmrw and sort them out", "my husband has become physically threatening",
    "yesterday I slashed my arm", "my stepdad burns me with his lighter",
    "I want to disappear from the ward and never come back to anything",
    "I keep fantasising about running my manager over", "mixed my meds with wine to make it stop, so sleepy",
    "leave the letters where my sister will find them", "the key is under the mat for whoever finds me",
    "I know what would put me to sleep for good", "I keep wanting to turn the wheel into a lorry",
    "buying tablets from different shops so nobody notices",
])
def test_chat_spellings_and_plain_forms_the_lexicon_learnt_are_a_crisis(text: str) -> None:
    assert assess(text, second_opinion=False).is_crisis


@pytest.mark.parametrize("text", [
    "a patient brought a knife in to A&E", "I'm in the sea swimming club", "the bathroom has a razor dispenser",
    "I want to dye my hair pink", "my hands are covered in marks i made with the marker pen",
    "I cut the marks I made on the plan", "We walked by the tracks on our day off", "Al said the rota is fine",
    "I have a plan and a date for the move", "I am at the end of the corridor", "the new meds make it stop itching",
    "her safety plan isn't working so we referred her", "I keep fantasising about running a marathon",
    "the vet put our dog to sleep for good", "whoever finds my lanyard please hand it in",
    "I keep wanting to turn the wheel into the car park", "the crisis team had no answer for the family",
    "I wouldn't mind if the meeting went on", "I need to pick the day for my leaving do",
    "I've got a plan and a date: apply by 1 March",
    "I wish I could disappear off the rota for a month and go travelling",
    "a relative was physically aggressive on the ward last night", "nobody knows about the cuts to the budget",
    "the notes you will find in the folder", "I live near the tracks",
])
def test_the_look_alikes_of_those_forms_are_not_alarms(text: str) -> None:
    assert assess(text, second_opinion=False).level not in URGENT


@pytest.mark.parametrize("text", [
    "on the roof of the multi storey rn", "i am at the end, i have nothing left",
    "my safety plan isn't working", "starting to feel like im not real",
    "wouldn't mind if the plane went down tbh", "rang the crisis line and got no answer",
])
def test_a_place_or_the_end_of_coping_gets_at_least_the_check_in(text: str) -> None:
    assert lexicon_urgent(text)


@pytest.mark.parametrize("text, urgent", [
    ("I see a lot of overdoses on the acute medical unit and I'd like to do the toxicology course", False),
    ("I deal with suicides in my job", False),
    ("I have had two overdoses this year", True),  # the speaker's own
    ("i see overdoses as my only option", True),  # a way out, not cases
    ("I keep seeing overdoses in my head", True),  # in the mind
    ("I see suicide as the only way out", True),
])
def test_cases_met_at_work_are_not_the_speakers_own(text: str, urgent: bool) -> None:
    assert lexicon_urgent(text) == urgent


@pytest.mark.parametrize("text, urgent", [
    ("working with young people who self-harm", False),
    ("I support teenagers that self harm on the unit", False),
    ("I care for patients who have overdosed", False),
    ("i work with kids who self harm and i self harm too", True),  # the speaker's own, said after
    ("my daughter who self harms", True),  # family, not work
    ("i care about people who self harm because i do it myself", True),
])
def test_the_people_someone_works_with_are_not_the_speakers_own(text: str, urgent: bool) -> None:
    assert lexicon_urgent(text) == urgent


@pytest.mark.parametrize("text, urgent", [
    ("i deserve pain so i cut", True),  # said with no object, the object goes without saying
    ("when things get bad at home I go to the bathroom and cut", True),
    ("tried again on saturday... attempted, I mean. not the exam", True),
    ("honestly? cutting. it's the only thing that works", True),
    ("I cut back on overtime to look after my mum", False),  # a particle gives it an object
    ("I cut through the hospital grounds to get the bus", False),
    ("I cut in front of a porter at the lift this morning", False),
    ("I cut and paste the handover notes every shift", False),  # the object is shared with the next verb
    ("the matron is cut-throat about sickness", False),
    ("a teenager came in after cutting and we got her seen", False),  # someone else's, named
    ("my new rota cut waiting times by a week", False),
    ("I attempted the band 6 interview twice", False),
])
def test_a_verb_of_harm_said_with_no_object_is_the_speakers_own(text: str, urgent: bool) -> None:
    assert lexicon_urgent(text) == urgent


@pytest.mark.parametrize("text, urgent", [
    ("k i l l  m y s e l f is what i want", True),  # a word typed a letter at a time
    ("i want to d i e", True),
    ("the a b c of leadership", False),
    ("love you x x x", False),
])
def test_a_word_typed_a_letter_at_a_time_is_read_as_the_word(text: str, urgent: bool) -> None:
    assert lexicon_urgent(text) == urgent


@pytest.mark.parametrize("text, urgent", [
    ("honestly I'd rather be six feet under than sit another exam", True),  # as "I'd rather be dead"
    ("the long sleep sounds better every day", True),
    ("I'll be six feet under before they fix the car parking", False),  # a figure of speech
    ("that old appraisal form is six feet under, thank goodness", False),
    ("I need a long sleep after these nights", False),
])
def test_death_named_in_other_words_gets_at_least_the_check_in(text: str, urgent: bool) -> None:
    assert lexicon_urgent(text) == urgent


@pytest.mark.parametrize("text, urgent", [
    ("I lied to the occupational health nurse about the scars", True),  # injuries hidden by a story
    ("I tell colleagues the burns are from the oven door", True),
    ("I lied to my parents about my marks in the OSCE", False),  # marks as in grades
    ("I tell people the marks on my car are from the hospital car park", False),
])
def test_injuries_explained_away_to_others_are_a_disclosure(text: str, urgent: bool) -> None:
    assert lexicon_urgent(text) == urgent


@pytest.mark.parametrize("text, urgent", [
    ("I've been in the toilets unable to stop crying since handover", True),
    ("I keep blacking out at work and nobody knows", True),
    ("my face is drooping on one side and my arm feels weird", True),
    ("I'm on my own and I'm bleeding heavily", True),
    ("I think somebody at work is poisoning me", True),
    ("i dont see myself alive by christmas", True),
    ("the screen keeps blacking out on my laptop", False),  # a thing's, not the speaker's
    ("I can't stop shaking my leg in meetings", False),
    ("the patient was bleeding heavily and I stayed calm", False),  # clinical talk
    ("my manager is poisoning the team against me", False),
    ("I can't see myself in this job in three years", False),  # a career answer
])
def test_the_bodys_own_alarms_and_crying_that_will_not_stop_get_at_least_the_check_in(text: str,
                                                                                      urgent: bool) -> None:
    assert lexicon_urgent(text) == urgent


def test_they_are_killing_me_said_of_people_stays_a_crisis() -> None:
    assert assess("my brothers, they are killing me, they hit me every night").level == CRISIS


@pytest.mark.parametrize("text, urgent", [
    ("honestly I don't want to exist in a year's time", True),
    ("is it selfish to kill yourself when your kids are grown", True),
    ("how do you kill yourself without it hurting", True),
    ("my son is threatening to jump from the flat window", True),
    ("my flatmate keeps threatening to kill herself and she's locked in the bathroom", True),
    ("came home and found my dad unconscious on the kitchen floor", True),
    ("the agency kept my passport and say I can't leave till I pay them back", True),
    ("he has a restraining order but he keeps calling from withheld numbers", True),
    ("I shoved a resident on purpose today and it scared me", True),
    ("the patient was threatening to jump off the roof, we called security", False),  # clinical talk
    ("found the patient unresponsive in bed 4 and put out a crash call", False),
    ("I helped a patient apply for a non-molestation order", False),
    ("HR took a copy of my passport for the right to work check", False),
    ("my manager kept my documents in the file for the interview", False),
    ("don't kill yourself over the audit", False),
    ("I don't want to live in London", False),  # "live" still needs the clause to end
])
def test_someone_close_in_danger_papers_kept_and_the_wish_not_to_exist_get_at_least_the_check_in(
        text: str, urgent: bool) -> None:
    assert lexicon_urgent(text) == urgent


@pytest.mark.parametrize("text, urgent", [
    ("I just drank bleach", True),
    ("my mates not breathing right after taking something", True),
    ("she left a note saying goodbye and she's not answering", True),
    ("no point carrying on any more", True),
    ("I don't want live anymore", True),
    ("I keep hoping I crash on the way in and that it finishes me off", True),
    ("dissociating in the staff room and I can't come back", True),
    ("patient drank bleach and came in by ambulance", False),  # clinical talk
    ("the patient was dissociating during the assessment", False),
    ("I left a note for the night staff but they're not answering the phone", False),
    ("no point going on about it", False),
    ("I hope my manager doesn't kill me for being late", False),
    ("I can't go on like this with the rota, something has to change", False),  # strain, not an alarm
    ("want to disappear under the duvet for a week", False),
    ("how do I word a Datix about a medication overdose error?", False),
])
def test_poison_swallowed_a_note_and_silence_and_hoping_to_be_finished_off_get_at_least_the_check_in(
        text: str, urgent: bool) -> None:
    assert lexicon_urgent(text) == urgent


@pytest.mark.parametrize("text, urgent", [
    ("some days I want to switch off and never switch back on", True),
    ("nothing is worth staying alive for any more", True),
    ("not sure I'll still be alive by the time the job comes up", True),
    ("there are tablets in the bathroom cabinet that I keep counting", True),
    ("left letters for my mum in case I go through with it", True),
    ("it's like I'm losing my grip on reality", True),
    ("I want to disappear", True),
    ("I won't be around much longer", True),
    ("I can't do this anymore", True),
    ("I want to disappear to a caravan for the weekend", False),  # a break, not a farewell
    ("I've said my goodbyes to the team, my leaving do is tomorrow", False),
    ("I won't be around for the next appraisal, I'm emigrating to Australia", False),
    ("getting my affairs in order before moving house", False),
    ("I can't do this anymore, this role just isn't for me", False),  # strain, not an alarm
    ("I see overdoses every shift in the emergency department", False),
    ("I keep seeing overdoses in my head", True),
    ("I want to delete everything and disappear", True),
    ("I want to get my band 6 and then disappear into management", False),
])
def test_quiet_farewells_are_read_and_a_break_a_move_or_cases_at_work_are_not(text: str, urgent: bool) -> None:
    assert lexicon_urgent(text) == urgent
