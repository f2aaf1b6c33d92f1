"""Which path a message takes (`nlu.routing`) and where a person is (`nlu.places`)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nlu.places import country_at, country_in
from nlu.routing import KNOWLEDGE_INTENT, asks_for_person, route, small_talk


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("hi", "greet"), ("Salam alaikum brother", "greet"), ("Привет", "greet"), ("Здраво", "greet"),
        ("merhaba", "greet"), ("ሰላም", "greet"), ("হ্যালো", "greet"), ("السلام عليكم ورحمة الله", "greet"),
        ("thanks a lot", "thank"), ("شكرا جزيلا", "thank"), ("خیلی ممنون", "thank"), ("ډېره مننه", "thank"),
        ("Hvala puno", "thank"), ("faleminderit shumë", "thank"), ("ok bye", "goodbye"),
        ("hi, where can I sleep tonight", None), ("ok", None), ("salam I need a lawyer", None),
    ],
)
def test_small_talk_is_the_whole_message_in_any_language(text: str, kind: str | None) -> None:
    assert small_talk(text) == kind


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("I want to talk to a real person", True), ("je veux parler à quelqu'un", True),
        ("Хочу поговорить с человеком", True), ("mujhe kisi insaan se baat karni hai", True),
        ("بدي احكي مع حدا من الفريق", True), ("a person took my passport", False),
        ("how many people live in one room in the camp", False),
    ],
)
def test_a_request_for_a_person(text: str, asks: bool) -> None:
    assert asks_for_person(text) is asks


def test_the_classifier_decides_only_short_small_talk_in_its_own_languages() -> None:
    question = "Как подать на убежище в Сербии?"
    assert route(question, "request_human", 0.99, "ru") == KNOWLEDGE_INTENT
    assert route(question, "out_of_scope", 0.9, "ru") == KNOWLEDGE_INTENT
    assert route("are you a bot", "bot_challenge", 0.95, "en") == "bot_challenge"
    assert route("are you a bot", "bot_challenge", 0.5, "en") == KNOWLEDGE_INTENT
    assert route("Сербия", "affirm", 0.99999, "ru") == KNOWLEDGE_INTENT  # not a language it knows
    assert route("u Zagrebu sam", "bot_challenge", 0.97, "bs") == KNOWLEDGE_INTENT
    assert route("yes I want to ask about my asylum case please", "affirm", 0.99, "en") == KNOWLEDGE_INTENT
    turkish = "Sırbistan'da nereden sığınma başvurusu yapabilirim?"
    assert route(turkish, "nlu_fallback", 0.3, "tr") == KNOWLEDGE_INTENT
    assert route("I want to speak to a human", "ask_question", 0.9, "en") == "request_human"
    assert route("merhaba", "nlu_fallback", 0.2, "tr") == "greet"
    # A country is the answer to "which country?", however sure the classifier is of a thanks.
    assert route("Mali i Zi", "thank", 0.97, "en") == KNOWLEDGE_INTENT
    assert route("thank you", "thank", 0.97, "en") == "thank"


@given(
    st.text(max_size=200), st.sampled_from([None, "greet", "nlu_fallback", "request_human"]), st.floats(0, 1)
)
def test_route_always_gives_an_intent(text: str, intent: str | None, confidence: float) -> None:
    assert route(text, intent, confidence, "en") and route(text, intent, confidence, None)


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Sırbistan'da nereden sığınma başvurusu yapabilirim?", "RS"),
        ("Как подать на убежище в Сербии?", "RS"),
        ("živim u Srbiji", "RS"), ("у Србији", "RS"), ("در صربستان هستم", "RS"),
        ("আমি বসনিয়ায় আছি", "BA"), ("I am in Bihac", "BA"), ("u Crnoj Gori", "ME"), ("я в Черногории", "ME"),
        ("në Shqipëri", "AL"), ("Shqipërisë", "AL"), ("ኣብ ሰርብያ", "RS"), ("Preševo", "RS"),
        ("Tabanovce", "MK"), ("Bosnien und Herzegowina", "BA"), ("Herzegovina", "BA"),
        ("Krnjača", "RS"), ("in Herceg Novi", "ME"), ("u Hercegovini", "BA"), ("Malit të Zi", "ME"),
        ("and in Bosnia?", "BA"), ("لە کرواتیام", "HR"), ("په تابانوفسې کمپ کې", "MK"), ("انا بسكوبي", "MK"),
        ("په بلګراد کې", "RS"), ("from Serbia to Bosnia", None), ("hello", None),
    ],
)
def test_countries_in_every_language_and_form(text: str, country: str | None) -> None:
    assert country_in(text) == country


@pytest.mark.parametrize(
    ("latitude", "longitude", "country"),
    [
        (44.8125, 20.4612, "RS"),  # Belgrade
        (44.81, 15.87, "BA"),  # Bihać
        (41.99, 21.43, "MK"),  # Skopje
        (42.44, 19.26, "ME"),  # Podgorica
        (41.33, 19.82, "AL"),  # Tirana
        (45.81, 15.98, "HR"),  # Zagreb
        (42.66, 21.16, None),  # Pristina: not one of the route's six
        (47.5, 19.04, None),  # Budapest
        (0.0, 0.0, None),  # far from everything
        (91.0, 0.0, None),  # not a place at all
    ],
)
def test_a_shared_location_is_placed_offline(latitude: float, longitude: float, country: str | None) -> None:
    assert country_at(latitude, longitude) == country
