"""Answers questions from the knowledge base (`action_answer_question`).

An answer goes whole to the channel; SMS, the one channel that must cut it, keeps the rest for
MORE itself (`channels.sms`), as it does for every long message."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.slot_mappings import entity_value
from actions.texts import response_text
from common import message_vector
from common.vocabulary import DANGER_INTENTS, INFORM_COUNTRY
from knowledge import answers
from knowledge.retriever import Retriever
from nlu.places import country_in

CHOSEN_ARTICLE_ENTITY = "kb_article"


class ActionAnswerQuestion(Action):
    """Searches, then answers (offering to say the country where it matters), asks the
    country first where no general answer exists, or offers the closest topics and a person."""

    def name(self) -> str:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        return await self.answer(dispatcher, tracker, domain, only_sure=intent in DANGER_INTENTS)

    async def answer(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
        only_sure: bool,
        not_topics: frozenset[str] = frozenset(),
    ) -> list[dict[str, Any]]:
        """`only_sure`: beside a safety message or a waiting case, a sure answer or nothing
        (no choices, no question about the country); nothing either from `not_topics`."""
        retriever = Retriever.default()
        lang = tracker.get_slot("language") or "en"
        country = tracker.get_slot("country")
        chosen = entity_value(tracker, CHOSEN_ARTICLE_ENTITY)
        if chosen in retriever.articles:
            return self._answer(dispatcher, tracker, domain, retriever, chosen, lang, None)
        pending = tracker.get_slot("pending_question")
        previous = pending or tracker.get_slot("last_question")
        text = tracker.latest_message.get("text") or ""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == INFORM_COUNTRY and text.startswith("/"):
            text = ""  # a country button: the question is the one before it
        names_place = not text or country_in(text) is not None
        completes = bool(pending) and names_place
        vector = message_vector.unpack(tracker.latest_message, retriever.embedder.name) if text else None
        question = await asyncio.to_thread(
            answers.read_question, retriever, text, previous, lang, country, completes, vector
        )
        may_ask = not tracker.get_slot("country_asked")
        named = country_in(question.text) or country  # "... and in Bosnia?" is about Bosnia
        decision = answers.decide(question.hits, retriever, named, may_ask_country=may_ask)
        # Kept when there is no answer, so that a country or a few more words given next are
        # read with it.
        kept = SlotSet("last_question", question.text)
        if only_sure and (decision.kind != "answer" or question.hits[0].topic in not_topics):
            return [kept] if question.text else []
        if decision.kind == "ask_country":
            dispatcher.utter_message(response="utter_ask_country", buttons=answers.country_buttons(lang))
            return [SlotSet("pending_question", question.text), SlotSet("country_asked", True)]
        if decision.kind == "not_sure":
            if not previous and (not text or answers.says_only_where(text)):  # "I am in Bihac"
                dispatcher.utter_message(response="utter_how_can_i_help")
                return [SlotSet("pending_question", None)]
            name = "utter_kb_not_sure" if decision.alternatives else "utter_kb_no_answer"
            buttons = answers.topic_buttons(decision.alternatives, retriever, lang)
            buttons.append({"title": "HUMAN", "payload": "HUMAN"})
            dispatcher.utter_message(response=name, buttons=buttons)
            return [SlotSet("kb_sources", []), SlotSet("pending_question", None), kept]
        events = self._answer(
            dispatcher, tracker, domain, retriever, decision.article_id or "", lang, question.text
        )
        if decision.offer_country and not only_sure:
            dispatcher.utter_message(response="utter_kb_which_country", buttons=answers.country_buttons(lang))
            events.append(SlotSet("country_asked", True))
        return events

    @staticmethod
    def _answer(
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
        retriever: Retriever,
        article_id: str,
        lang: str,
        question: str | None,
    ) -> list[dict[str, Any]]:
        templates = {
            "translation_missing": response_text(domain, "utter_kb_translation_missing", lang),
            "source": response_text(domain, "utter_kb_source", lang),
        }
        answer = answers.render(retriever.article(article_id), lang, templates)
        dispatcher.utter_message(text=answer.text)
        return [
            SlotSet("kb_sources", [article_id]),
            SlotSet("pending_question", None),
            SlotSet("last_question", question),
        ]
