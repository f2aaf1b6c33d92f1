"""The first version of language detection and the conversation-level choice."""

import pytest

from nlu.language import Choice, Detection, clean, detect, requested_language, resolve


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("where can I ask for asylum in serbia", "en"),
        ("how do i find a doctor", "en"),
        ("أين يمكنني طلب اللجوء في صربيا", "ar"),
        ("كيف أجد طبيب", "ar"),
        ("چطور می‌توانم درخواست پناهندگی بدهم", "fa"),
        ("من کمک می‌خواهم", "fa"),
        ("زه مرستې ته اړتیا لرم", "ps"),
        ("په صربیا کې څنګه پناه وغواړم", "ps"),
        ("مجھے مدد چاہیے", "ur"),
        ("میں پناہ کیسے مانگوں", "ur"),
        ("mujhe madad chahiye", "ur"),
        ("ana a7tag mosa3da", "ar"),
        ("où puis-je demander l'asile en serbie", "fr"),
        ("j'ai besoin d'un médecin", "fr"),
        ("мені потрібна допомога", "uk"),
        ("আমার সাহায্য দরকার", "bn"),
        ("ez alîkarîyê dixwazim", None),  # Kurmanji: not decided here, only never a crash
    ],
)
def test_detects_short_messages(text: str, lang: str | None) -> None:
    detection = detect(text)
    if lang is not None:
        assert detection.lang == lang, detection
    assert 0.0 <= detection.confidence <= 1.0


def test_letters_unique_to_one_language_decide_the_arabic_script_group() -> None:
    assert detect("ښه").lang == "ps"
    assert detect("ہے").lang == "ur"
    assert detect("چۆنی").lang == "ckb"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("/language fa", "fa"),
        ("LANG UR", "ur"),
        ("lang ps", "ps"),
        ("français", "fr"),
        ("in french please", "fr"),
        ("عربي", "ar"),
        ("فارسی", "fa"),
        ("پښتو", "ps"),
        ("اردو", "ur"),
        ("english", "en"),
        ("please answer me in russian, my english is bad", "ru"),
        ("можете писать на английском?", "en"),
        ("a mund të flisni anglisht", "en"),
        ("په پښتو راته ولیکئ", "ps"),
    ],
)
def test_explicit_requests(text: str, lang: str) -> None:
    assert requested_language(text) == lang
    detection = detect(text)
    assert detection.explicit and detection.lang == lang and detection.confidence == 1.0


@pytest.mark.parametrize(
    "text",
    [
        "LANG XX", "/language", "hello", "i do not speak english or french at all, sorry my friend",
        "is there an arabic translator in the hospital",
        "Bosnien und Herzegowina",  # the country (German), though "bosnien" is the language in French
    ],
)
def test_no_explicit_request(text: str) -> None:
    assert requested_language(text) is None


def test_nothing_to_read_keeps_the_hint() -> None:
    for text in ["", "   ", "🙏🙏", "!!!", "12345"]:
        detection = detect(text, hint="ar")
        assert detection.lang == "ar" and detection.confidence == 0.0


def test_one_word_is_never_sure() -> None:
    assert detect("ok").confidence < 0.75
    assert detect("salam").confidence < 0.75


def test_resolve_is_sticky_and_explicit_wins() -> None:
    assert resolve("ar", detect("ok")).lang == "ar"
    assert resolve("ar", detect("salam")).lang == "ar"
    assert resolve("fa", detect("LANG UR")) == Choice("ur", 1.0)
    assert resolve(None, detect("bonjour je cherche un avocat")).lang == "fr"
    switched = resolve("en", detect("j'ai besoin d'un avocat pour mon asile"))
    assert (switched.lang, switched.switched_from) == ("fr", "en")
    assert resolve("en", Detection(None, 0.0)).lang == "en"


def test_a_first_greeting_does_not_lock_the_next_sentence() -> None:
    first = resolve(None, detect("hello"))
    assert first.lang == "en" and first.confidence < 0.75
    question = detect("Как подать на убежище в Сербии, что нужно сделать?")
    second = resolve(first.lang, question, first.confidence)
    assert second.lang == "ru" and second.switched_from is None  # nothing firm to go back to
    after = resolve(second.lang, detect("ok"), second.confidence)
    assert after.lang == "ru"


def test_one_word_never_moves_a_language_a_sentence_chose() -> None:
    chosen = resolve(None, detect("j'ai besoin d'un avocat pour mon asile"))
    for word in ("hello", "salam", "спасибо", "ok"):
        assert resolve(chosen.lang, detect(word), chosen.confidence).lang == "fr", word


def test_clean_drops_controls_and_bidi_overrides() -> None:
    assert clean("he\u202ello\x00\x07") == "hello"
    assert clean("line\nbreak") == "line\nbreak"
