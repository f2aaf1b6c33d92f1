"""Answers questions from the knowledge base (`action_answer_question`, `action_answer_more`)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.slot_mappings import entity_value
from actions.texts import response_text
from knowledge import answers
from knowledge.retriever import Retriever

CHOSEN_ARTICLE_ENTITY = "kb_article"


class ActionAnswerQuestion(Action):
    """Searches, then answers, asks the country once, or offers the two closest topics and a human."""

    def name(self) -> str:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        retriever = Retriever.default()
        lang = tracker.get_slot("language") or "en"
        country = tracker.get_slot("country")
        chosen = entity_value(tracker, CHOSEN_ARTICLE_ENTITY)
        if chosen in retriever.articles:
            return self._answer(dispatcher, tracker, domain, retriever, chosen, lang)
        pending = tracker.get_slot("pending_question")
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == "inform_country" and not pending:
            dispatcher.utter_message(response="utter_how_can_i_help")
            return []
        question = pending if intent == "inform_country" else tracker.latest_message.get("text") or ""
        hits = retriever.search(question, lang=lang, country=country, k=6)
        may_ask = not tracker.get_slot("country_asked")
        decision = answers.decide(hits, retriever, country, may_ask_country=may_ask)
        if decision.kind == "ask_country":
            dispatcher.utter_message(response="utter_ask_country", buttons=answers.country_buttons(lang))
            return [SlotSet("pending_question", question), SlotSet("country_asked", True)]
        if decision.kind == "not_sure":
            name = "utter_kb_not_sure" if decision.alternatives else "utter_kb_no_answer"
            buttons = answers.topic_buttons(decision.alternatives, retriever, lang)
            buttons.append({"title": "HUMAN", "payload": "HUMAN"})
            dispatcher.utter_message(response=name, buttons=buttons)
            return [SlotSet("kb_sources", []), SlotSet("pending_question", None)]
        return self._answer(dispatcher, tracker, domain, retriever, decision.article_id or "", lang)

    @staticmethod
    def _answer(
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
        retriever: Retriever,
        article_id: str,
        lang: str,
    ) -> list[dict[str, Any]]:
        templates = {
            "translation_missing": response_text(domain, "utter_kb_translation_missing", lang),
            "source": response_text(domain, "utter_kb_source", lang),
            "more": response_text(domain, "utter_kb_more", lang),
        }
        channel = tracker.get_latest_input_channel()
        answer = answers.render(retriever.article(article_id), lang, channel, templates)
        dispatcher.utter_message(text=answer.text)
        return [
            SlotSet("kb_sources", [article_id]),
            SlotSet("kb_more", answer.rest),
            SlotSet("pending_question", None),
        ]


class ActionAnswerMore(Action):
    """Sends the rest of the last answer on a short channel, or says there is nothing more."""

    def name(self) -> str:
        return "action_answer_more"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        rest = tracker.get_slot("kb_more")
        if not rest:
            dispatcher.utter_message(response="utter_how_can_i_help")
            return []
        dispatcher.utter_message(text=rest)
        return [SlotSet("kb_more", None)]
