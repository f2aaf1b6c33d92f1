"""`action_answer_question` on a fake retriever: what a person is told
for a sure, an unsure and an unanswerable question, in their language, for their country."""

from __future__ import annotations

import asyncio
from typing import Any

import numpy as np
import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.answer import ActionAnswerQuestion
from common import message_vector
from knowledge.answers import topic_label
from knowledge.articles import COUNTRIES
from tests.actions.actions.fakes import DOMAIN, FakeRetriever, hit, run, slots, tracker, use_retriever

COUNTRY_PAYLOADS = [f'/inform_country{{"country": "{c}"}}' for c in COUNTRIES]
LEGAL_AID_AR = (
    "all-legal-aid title [ar]\n\nall-legal-aid first part [ar]\n\nall-legal-aid second part [ar]\n\n"
    "المصدر: help.example.org/all-legal-aid (آخر تحقق: 2026-11-02)"
)


def button(payload: str) -> dict[str, Any]:
    """What a button click sends: the payload as text, its entities parsed."""
    return {"entity": "kb_article", "value": payload.split('"')[-2]}


def test_a_sure_answer_comes_in_the_persons_language_with_its_source_and_review_date(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The promise of every answer: the article's own text, where it comes from, when checked."""
    question = "أين أجد محامياً مجانياً"
    retriever = use_retriever(monkeypatch, FakeRetriever({(question, None): [hit("all-legal-aid", 0.9)]}))
    events, messages = run(ActionAnswerQuestion(), tracker(question, slots={"language": "ar"}))
    assert [m["text"] for m in messages] == [LEGAL_AID_AR]
    assert retriever.searches == [(question, "ar", None)]
    assert slots(events) == {
        "kb_sources": ["all-legal-aid"], "pending_question": None, "last_question": question
    }


def test_an_article_not_yet_in_the_language_says_so_and_comes_in_english(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Never a silent switch of language: the person is told, in theirs, why it is English."""
    question = "أين أرى طبيباً في صربيا"
    use_retriever(monkeypatch, FakeRetriever({(question, "RS"): [hit("rs-health-care", 0.8)]}))
    _, messages = run(ActionAnswerQuestion(), tracker(question, slots={"language": "ar", "country": "RS"}))
    paragraphs = messages[0]["text"].split("\n\n")
    assert paragraphs[0] == "هذا الجواب غير مكتوب بلغتك بعد، لذلك أرسله لك بهذه اللغة: English."
    assert paragraphs[1:3] == ["rs-health-care title [en]", "rs-health-care first part [en]"]
    assert paragraphs[-1] == "المصدر: help.example.org/rs-health-care (آخر تحقق: 2026-11-02)"


def test_on_sms_the_answer_goes_whole_to_the_channel_which_cuts_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """One owner of MORE: the action sends the same answer on every channel; the SMS channel
    cuts it and keeps the rest (`channels.sms`)."""
    question = "free lawyer"
    use_retriever(monkeypatch, FakeRetriever({(question, None): [hit("all-legal-aid", 0.9)]}))
    english = {"language": "en"}
    _, on_sms = run(ActionAnswerQuestion(), tracker(question, slots=english, channel="sms"))
    _, on_telegram = run(ActionAnswerQuestion(), tracker(question, slots=english, channel="telegram"))
    assert [m["text"] for m in on_sms] == [m["text"] for m in on_telegram]
    assert on_sms[0]["text"].endswith("Source: help.example.org/all-legal-aid (checked 2026-11-02)")


def test_where_the_answer_depends_on_the_country_the_general_article_comes_with_an_offer_to_say_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Not one country's rules for someone who may be elsewhere: the route-wide article, even
    if a country's ranks first, then the country menu, once per conversation."""
    question = "where can I see a doctor"
    hits = [hit("rs-health-care", 0.8), hit("all-health-care", 0.6)]
    use_retriever(monkeypatch, FakeRetriever({(question, None): hits}))
    events, messages = run(ActionAnswerQuestion(), tracker(question, slots={"language": "en"}))
    assert messages[0]["text"].startswith("all-health-care title [en]")
    assert messages[1]["response"] == "utter_kb_which_country"
    assert [b["payload"] for b in messages[1]["buttons"]] == COUNTRY_PAYLOADS
    assert slots(events)["kb_sources"] == ["all-health-care"] and slots(events)["country_asked"] is True
    asked = {"language": "en", "country_asked": True}
    events, messages = run(ActionAnswerQuestion(), tracker(question, slots=asked))
    assert len(messages) == 1 and "country_asked" not in slots(events)


def test_the_persons_country_goes_into_the_search_and_its_own_article_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With the country known, the search is asked for it and nothing more is asked."""
    question = "where can I see a doctor"
    retriever = use_retriever(monkeypatch, FakeRetriever({(question, "RS"): [hit("rs-health-care", 0.8)]}))
    in_serbia = {"language": "en", "country": "RS"}
    events, messages = run(ActionAnswerQuestion(), tracker(question, slots=in_serbia))
    assert retriever.searches == [(question, "en", "RS")]
    assert len(messages) == 1 and messages[0]["text"].startswith("rs-health-care title [en]")
    assert "country_asked" not in slots(events)


def test_a_country_button_asks_the_question_before_it_again_for_that_country(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """After "which country?", the button's text is not a question: the last one is, there."""
    question = "where can I see a doctor"
    retriever = use_retriever(monkeypatch, FakeRetriever({(question, "RS"): [hit("rs-health-care", 0.8)]}))
    chosen = {"language": "en", "country": "RS", "country_asked": True, "last_question": question}
    events, messages = run(ActionAnswerQuestion(), tracker(COUNTRY_PAYLOADS[0], "inform_country", chosen))
    assert retriever.searches == [(question, "en", "RS")]
    assert messages[0]["text"].startswith("rs-health-care title [en]")
    assert slots(events)["last_question"] == question


def test_where_only_country_articles_exist_the_country_is_asked_first_then_answered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No general article on work: asking beats answering with another country's law."""
    question = "can I work while I wait"
    use_retriever(monkeypatch, FakeRetriever({
        (question, None): [hit("rs-work-rights", 0.7), hit("ba-work-rights", 0.6)],
        (question, "BA"): [hit("ba-work-rights", 0.9)],
    }))
    events, messages = run(ActionAnswerQuestion(), tracker(question, slots={"language": "en"}))
    assert [m["response"] for m in messages] == ["utter_ask_country"] and messages[0]["text"] is None
    assert [b["payload"] for b in messages[0]["buttons"]] == COUNTRY_PAYLOADS
    assert slots(events) == {"pending_question": question, "country_asked": True}
    asked = {"language": "en", "country": "BA", **slots(events)}
    events, messages = run(ActionAnswerQuestion(), tracker(COUNTRY_PAYLOADS[1], "inform_country", asked))
    assert messages[0]["text"].startswith("ba-work-rights title [en]")
    assert slots(events)["pending_question"] is None


def test_a_question_that_names_a_country_is_answered_for_it_without_asking(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """ "... in Bosnia?" says where: the country menu would only delay the answer."""
    question = "can I work in Bosnia"
    use_retriever(monkeypatch, FakeRetriever({(question, None): [hit("ba-work-rights", 0.7)]}))
    events, messages = run(ActionAnswerQuestion(), tracker(question, slots={"language": "en"}))
    assert len(messages) == 1 and messages[0]["text"].startswith("ba-work-rights title [en]")
    assert "country_asked" not in slots(events)


def test_a_place_given_after_which_country_completes_the_pending_question(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """ "we are in Bihac" answers the question asked before, though alone it reads surer."""
    pending = "can I work while I wait"
    joined = f"{pending} we are in Bihac"
    use_retriever(monkeypatch, FakeRetriever({
        ("we are in Bihac", None): [hit("all-about-this-service", 0.9)],
        (joined, None): [hit("ba-work-rights", 0.5)],
    }))
    asked = {"language": "en", "pending_question": pending, "country_asked": True}
    events, messages = run(ActionAnswerQuestion(), tracker("we are in Bihac", "inform_country", asked))
    assert messages[0]["text"].startswith("ba-work-rights title [en]")
    assert slots(events)["pending_question"] is None and slots(events)["last_question"] == joined


def test_an_unsure_answer_offers_the_closest_topics_once_each_and_a_person(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Better "did you mean" than a wrong legal answer; a topic is offered once, in the
    person's language, with a person always among the choices."""
    question = "مشكلة مع الشرطة والمال"
    hits = [hit("all-health-care", 0.3), hit("rs-health-care", 0.25), hit("all-legal-aid", 0.2),
            hit("all-accommodation-reception", 0.18), hit("all-about-this-service", 0.1)]
    retriever = FakeRetriever({(question, None): hits})
    use_retriever(monkeypatch, retriever)
    events, messages = run(ActionAnswerQuestion(), tracker(question, slots={"language": "ar"}))
    assert [m["response"] for m in messages] == ["utter_kb_not_sure"]
    offered = ["all-health-care", "all-legal-aid", "all-accommodation-reception"]
    assert messages[0]["buttons"] == [
        *({"title": topic_label(retriever.article(a).topic, "ar"),
           "payload": f'/ask_question{{"kb_article": "{a}"}}'} for a in offered),
        {"title": "HUMAN", "payload": "HUMAN"},
    ]
    assert slots(events) == {"kb_sources": [], "pending_question": None, "last_question": question}


def test_a_topic_chosen_from_the_choices_is_answered_without_searching_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The button names the article: the person gets exactly what they chose."""
    retriever = use_retriever(monkeypatch, FakeRetriever())
    payload = '/ask_question{"kb_article": "all-legal-aid"}'
    previous = {"language": "ar", "last_question": "مشكلة مع الشرطة والمال"}
    tr = tracker(payload, slots=previous, entities=[button(payload)])
    events, messages = run(ActionAnswerQuestion(), tr)
    assert [m["text"] for m in messages] == [LEGAL_AID_AR] and retriever.searches == []
    assert slots(events) == {
        "kb_sources": ["all-legal-aid"], "pending_question": None, "last_question": None
    }


def test_with_no_answer_at_all_it_says_so_offers_a_person_and_keeps_the_question(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Too far from every article for choices: an honest "I don't know" and a person; the
    question stays, so that a few more words next are read with it."""
    question = "who won the football match yesterday"
    use_retriever(monkeypatch, FakeRetriever({(question, None): [hit("all-health-care", 0.05)]}))
    events, messages = run(ActionAnswerQuestion(), tracker(question, slots={"language": "en"}))
    assert [(m["response"], m["buttons"]) for m in messages] == [
        ("utter_kb_no_answer", [{"title": "HUMAN", "payload": "HUMAN"}])
    ]
    assert slots(events) == {"kb_sources": [], "pending_question": None, "last_question": question}


def test_saying_only_where_one_is_gets_how_can_i_help_not_a_guess(monkeypatch: pytest.MonkeyPatch) -> None:
    """ "I am in Bihac" is not a question: no topics, no "I don't know"."""
    use_retriever(monkeypatch, FakeRetriever())
    tr = tracker("I am in Bihac", "inform_country", {"language": "en"})
    events, messages = run(ActionAnswerQuestion(), tr)
    assert [m["response"] for m in messages] == ["utter_how_can_i_help"]
    assert slots(events) == {"pending_question": None}


@pytest.mark.parametrize("intent", ["report_danger", "possible_danger"])
@pytest.mark.parametrize(
    "hits",
    [
        [hit("rs-work-rights", 0.7)],  # would ask the country
        [hit("all-health-care", 0.3), hit("all-legal-aid", 0.2)],  # would offer topics
    ],
    ids=["ask_country", "not_sure"],
)
def test_beside_a_safety_message_nothing_but_a_sure_answer_is_said(
    monkeypatch: pytest.MonkeyPatch, intent: str, hits: list[Any]
) -> None:
    """After the safety message, no menus or questions to get lost in; the question is kept."""
    question = "they took my passport, can I work"
    use_retriever(monkeypatch, FakeRetriever({(question, None): hits}))
    events, messages = run(ActionAnswerQuestion(), tracker(question, intent, {"language": "en"}))
    assert messages == [] and len(events) == 1 and slots(events) == {"last_question": question}


def test_beside_a_safety_message_a_sure_answer_comes_without_the_country_menu(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The sure answer is worth giving; the offer to say the country is not, then."""
    question = "I am hurt, where can I see a doctor"
    use_retriever(monkeypatch, FakeRetriever({(question, None): [hit("all-health-care", 0.8)]}))
    events, messages = run(ActionAnswerQuestion(), tracker(question, "report_danger", {"language": "en"}))
    assert len(messages) == 1 and messages[0]["text"].startswith("all-health-care title [en]")
    assert slots(events)["kb_sources"] == ["all-health-care"] and "country_asked" not in slots(events)


def test_a_sure_answer_from_a_topic_left_to_the_team_is_not_given(monkeypatch: pytest.MonkeyPatch) -> None:
    """`not_topics`: while a case waits, "are you there?" is for a person, not the article
    about the service; a sure answer on another topic still comes."""
    there, doctor = "are you there?", "where can I see a doctor"
    use_retriever(monkeypatch, FakeRetriever({
        (there, None): [hit("all-about-this-service", 0.9)],
        (doctor, None): [hit("all-health-care", 0.9)],
    }))

    def answer(text: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        dispatcher = CollectingDispatcher()
        tr = tracker(text, slots={"language": "en"})
        events = asyncio.run(ActionAnswerQuestion().answer(
            dispatcher, tr, DOMAIN, only_sure=True, not_topics=frozenset({"about_this_service"})
        ))
        return events, dispatcher.messages

    events, messages = answer(there)
    assert messages == [] and slots(events) == {"last_question": there}
    events, messages = answer(doctor)
    assert len(messages) == 1 and slots(events)["kb_sources"] == ["all-health-care"]


@pytest.mark.parametrize(("model", "reused"), [("fake-embedder", True), ("another-model", False)])
def test_the_nlus_embedding_of_the_message_is_searched_with_when_the_model_is_the_same(
    monkeypatch: pytest.MonkeyPatch, model: str, reused: bool
) -> None:
    question = "where can I find a free lawyer in Serbia"
    vector = np.linspace(-1.0, 1.0, 384, dtype=np.float32)
    retriever = use_retriever(monkeypatch, FakeRetriever({(question, None): [hit("all-legal-aid", 0.9)]}))
    parse_data = {message_vector.KEY: message_vector.pack(model, vector)}
    run(ActionAnswerQuestion(), tracker(question, parse_data=parse_data))
    assert len(retriever.vectors) == 1
    assert (retriever.vectors[0] is not None and np.array_equal(retriever.vectors[0], vector)) is reused
