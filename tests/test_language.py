"""The first version of language detection and the conversation-level choice."""

import pytest

from nlu.language import Detection, clean, detect, requested_language, resolve


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
    ],
)
def test_explicit_requests(text: str, lang: str) -> None:
    assert requested_language(text) == lang
    detection = detect(text)
    assert detection.explicit and detection.lang == lang and detection.confidence == 1.0


@pytest.mark.parametrize(
    "text", ["LANG XX", "/language", "hello", "i do not speak english or french at all, sorry my friend"]
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
    assert resolve("ar", detect("ok")) == "ar"
    assert resolve("ar", detect("salam")) == "ar"
    assert resolve("fa", detect("LANG UR")) == "ur"
    assert resolve(None, detect("bonjour je cherche un avocat")) == "fr"
    assert resolve("en", detect("j'ai besoin d'un avocat pour mon asile")) == "fr"
    assert resolve("en", Detection(None, 0.0)) == "en"


def test_clean_drops_controls_and_bidi_overrides() -> None:
    assert clean("he\u202ello\x00\x07") == "hello"
    assert clean("line\nbreak") == "line\nbreak"
