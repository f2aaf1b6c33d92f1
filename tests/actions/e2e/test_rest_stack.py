"""The real stack (trained model, Rasa server, action server, console) over the REST webhook."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.launcher import Settings, Stack, ensure_model
from channels.text import MAX_TEXT_CHARS
from knowledge import answers
from knowledge.articles import ARTICLES, COUNTRIES, load_article
from nlu.language import LANGUAGE_NAMES
from tests.stack_common import RESPONSES, free_port, response_names


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    var = tmp_path_factory.mktemp("var")
    return Settings(
        var=var,
        rasa_port=free_port(),
        actions_port=free_port(),
        console_port=free_port(),
        tracker_db=var / "tracker.db",
    )


@pytest.fixture(scope="module")
def stack(settings: Settings) -> Iterator[Stack]:
    with Stack(settings, ensure_model(settings)) as running:
        yield running


@pytest.fixture
def client(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.settings.rasa_url, timeout=60) as http:
        yield http


def say(client: httpx.Client, sender: str, message: str) -> list[str]:
    reply = client.post("/webhooks/rest/webhook", json={"sender": sender, "message": message})
    assert reply.status_code == 200, reply.text
    return [m["text"] for m in reply.json() if "text" in m]


def slot(client: httpx.Client, stack: Stack, sender: str, name: str) -> object:
    tracker = client.get(f"/conversations/{sender}/tracker", params={"token": stack.token})
    assert tracker.status_code == 200
    return tracker.json()["slots"][name]


@pytest.mark.parametrize(
    ("lang", "greeting", "question"),
    [
        ("en", "hello there", "how can I apply for asylum in serbia"),
        ("ar", "مرحبا، السلام عليكم", "كيف أقدم طلب لجوء في صربيا"),
        ("fa", "سلام، خوبی؟", "چطور می‌توانم در صربستان درخواست پناهندگی بدهم"),
        ("ps", "سلام ورور، ښه یې؟", "په صربیا کې د پناه غوښتنې لپاره څنګه درخواست ورکړم"),
        ("ur", "السلام علیکم بھائی، کیسے ہیں", "سربیا میں پناہ کی درخواست کیسے دوں"),
        ("fr", "bonjour, comment ça va", "comment demander l'asile en serbie"),
    ],
)
def test_conversation_is_answered_in_its_language(
    client: httpx.Client, stack: Stack, lang: str, greeting: str, question: str
) -> None:
    sender = f"e2e-{lang}-{uuid.uuid4().hex[:8]}"
    replies = say(client, sender, greeting)
    assert replies and all(response_names(text, lang) for text in replies), replies
    assert response_names(replies[0], lang) == {"utter_privacy_notice"}  # first contact
    assert "utter_greet" in response_names(replies[1], lang)
    assert slot(client, stack, sender, "language") == lang
    answer = "\n\n".join(say(client, sender, question))  # Rasa's channels split on blank lines
    article = load_article(ARTICLES / "rs-asylum-application.yml")
    assert article.translations[lang].title in answer and article.translations[lang].summary in answer
    source = "help.unhcr.org/serbia/applying-for-asylum-in-serbia"
    date = article.last_reviewed.isoformat()
    assert answer.endswith(RESPONSES["utter_kb_source"][lang].format(source=source, date=date))
    assert slot(client, stack, sender, "language") == lang
    assert slot(client, stack, sender, "kb_sources") == ["rs-asylum-application"]
    assert slot(client, stack, sender, "country") == "RS"


def test_an_unknown_country_gets_the_general_answer_then_the_countrys(
    client: httpx.Client, stack: Stack
) -> None:
    sender = f"e2e-country-{uuid.uuid4().hex[:8]}"
    say(client, sender, "hello there")
    message = {"sender": sender, "message": "how do I ask for asylum"}
    *answer, question = client.post("/webhooks/rest/webhook", json=message).json()
    general = load_article(ARTICLES / "all-asylum-application.yml").translations["en"]
    assert general.summary in "\n\n".join(m["text"] for m in answer)
    assert question["text"] == RESPONSES["utter_kb_which_country"]["en"]
    assert [b["title"] for b in question["buttons"]] == [answers.country_label(c, "en") for c in COUNTRIES]
    bosnia = COUNTRIES.index("BA") + 1
    answer = "\n\n".join(say(client, sender, str(bosnia)))
    assert load_article(ARTICLES / "ba-asylum-application.yml").translations["en"].summary in answer
    assert slot(client, stack, sender, "country") == "BA"
    assert slot(client, stack, sender, "kb_sources") == ["ba-asylum-application"]


@pytest.mark.parametrize(
    ("lang", "question"),
    [
        ("ru", "Как подать прошение об убежище в Сербии? Куда мне идти?"),
        ("bn", "সার্বিয়ায় আশ্রয়ের আবেদন কোথায় আর কীভাবে করব?"),
        ("tr", "Sırbistan'da nereden sığınma başvurusu yapabilirim?"),
    ],
)
def test_after_hello_a_question_in_another_language_is_answered_in_it(
    client: httpx.Client, stack: Stack, lang: str, question: str
) -> None:
    sender = f"e2e-after-hello-{lang}-{uuid.uuid4().hex[:8]}"
    say(client, sender, "hello")
    answer = "\n\n".join(say(client, sender, question))
    article = load_article(ARTICLES / "rs-asylum-application.yml")
    assert article.translations[lang].summary in answer
    assert slot(client, stack, sender, "language") == lang
    assert slot(client, stack, sender, "country") == "RS"
    assert slot(client, stack, sender, "kb_sources") == ["rs-asylum-application"]
    assert slot(client, stack, sender, "case_id") is None  # nobody asked for a person


def test_a_follow_up_and_a_second_topic(client: httpx.Client, stack: Stack) -> None:
    sender = f"e2e-follow-up-{uuid.uuid4().hex[:8]}"
    say(client, sender, "how can I apply for asylum in serbia")
    assert slot(client, stack, sender, "kb_sources") == ["rs-asylum-application"]
    say(client, sender, "and in Bosnia?")
    assert slot(client, stack, sender, "kb_sources") == ["ba-asylum-application"]
    say(client, sender, "my friend is sick, where can he see a doctor for free")
    assert slot(client, stack, sender, "kb_sources") == ["ba-health-care"]


def test_an_unclear_sign_gets_the_answer_then_one_gentle_question(
    client: httpx.Client, stack: Stack
) -> None:
    sender = f"e2e-unclear-{uuid.uuid4().hex[:8]}"
    replies = say(client, sender, "I work at a building site and the boss pays less than he promised")
    assert replies[-1] == RESPONSES["utter_ask_safety"]["en"]
    assert slot(client, stack, sender, "kb_sources") == ["all-work-rights"]
    assert slot(client, stack, sender, "case_id") is None
    say(client, sender, "yes")
    assert slot(client, stack, sender, "case_id") is not None


def test_a_question_while_the_case_waits_for_an_operator_is_still_answered(
    client: httpx.Client, stack: Stack
) -> None:
    sender = f"e2e-waiting-{uuid.uuid4().hex[:8]}"
    say(client, sender, "the boss keeps my passport and I cannot leave the house")
    assert slot(client, stack, sender, "handoff_active") is True
    replies = say(client, sender, "my friend is sick, where can he see a doctor for free in Serbia")
    assert RESPONSES["utter_handoff_waiting"]["en"] in replies
    summary = load_article(ARTICLES / "rs-health-care.yml").translations["en"].summary
    assert any(summary in text for text in replies)
    assert slot(client, stack, sender, "kb_sources") == ["rs-health-care"]
    assert slot(client, stack, sender, "handoff_active") is True  # the case stays with the team


def test_one_ambiguous_word_keeps_the_language(client: httpx.Client, stack: Stack) -> None:
    sender = f"e2e-sticky-{uuid.uuid4().hex[:8]}"
    say(client, sender, "مرحبا، أريد أن أسأل عن اللجوء")
    replies = say(client, sender, "ok")
    assert all(response_names(text, "ar") for text in replies), replies
    assert slot(client, stack, sender, "language") == "ar"


def test_an_unsure_first_message_gets_the_numbered_language_menu(client: httpx.Client, stack: Stack) -> None:
    sender = f"e2e-menu-{uuid.uuid4().hex[:8]}"
    reply = client.post("/webhooks/rest/webhook", json={"sender": sender, "message": "ok"})
    menus = [m["buttons"] for m in reply.json() if m.get("buttons")]
    assert menus and [b["title"] for b in menus[0]] == list(LANGUAGE_NAMES.values())
    urdu = list(LANGUAGE_NAMES).index("ur") + 1
    # "ok" alone was not understood (Rasa reverts such a turn): the notice comes again, in Urdu.
    expected = [RESPONSES["utter_privacy_notice"]["ur"], RESPONSES["utter_language_changed"]["ur"]]
    assert say(client, sender, str(urdu)) == expected
    assert slot(client, stack, sender, "language") == "ur"


def test_explicit_language_change_sticks(client: httpx.Client, stack: Stack) -> None:
    sender = f"e2e-switch-{uuid.uuid4().hex[:8]}"
    say(client, sender, "سلام، خوبی؟")
    replies = say(client, sender, "LANG UR")
    assert replies == [RESPONSES["utter_language_changed"]["ur"]]
    assert slot(client, stack, sender, "language") == "ur"


@pytest.mark.parametrize("message", ["", "   ", "🙏🙏🙏", "\x00\x07\x1b"])
def test_nothing_to_read_gets_a_polite_reply(client: httpx.Client, message: str) -> None:
    replies = say(client, f"e2e-empty-{uuid.uuid4().hex[:8]}", message)
    assert replies == [RESPONSES["utter_privacy_notice"]["en"], RESPONSES["utter_text_only"]["en"]]


def test_control_characters_are_ignored(client: httpx.Client, stack: Stack) -> None:
    sender = f"e2e-ctrl-{uuid.uuid4().hex[:8]}"
    replies = say(client, sender, "bon\x00jour\u202e, comment ça va")
    assert replies and all(response_names(text, "fr") for text in replies), replies


def test_a_message_of_the_longest_length_gets_a_reply(client: httpx.Client) -> None:
    long_message = ("I need help with my asylum application in Serbia please. " * 200)[:MAX_TEXT_CHARS]
    assert say(client, f"e2e-long-{uuid.uuid4().hex[:8]}", long_message)


@pytest.mark.parametrize(
    ("content", "status"),
    [
        (b'{"sender": "x", "message": "\xff\xfe"}', 400),
        (b"not json at all", 400),
        (b'{"message": "no sender"}', 400),
        (('{"sender": "x", "message": "' + "a" * (MAX_TEXT_CHARS + 1) + '"}').encode(), 413),
    ],
)
def test_bad_requests_get_a_clear_4xx(client: httpx.Client, content: bytes, status: int) -> None:
    reply = client.post(
        "/webhooks/rest/webhook", content=content, headers={"Content-Type": "application/json"}
    )
    assert reply.status_code == status and "error" in reply.json()
    assert client.get("/").status_code == 200


def test_console_and_action_server_are_up(stack: Stack) -> None:
    assert httpx.get(f"{stack.settings.console_url}/health").json() == {"status": "ok"}
    assert httpx.get(f"{stack.settings.actions_url}/health").status_code == 200


def test_conversations_survive_a_restart(client: httpx.Client, stack: Stack) -> None:
    sender = f"e2e-restart-{uuid.uuid4().hex[:8]}"
    say(client, sender, "bonjour, comment ça va")
    db = Path(stack.settings.tracker_db or "")
    with sqlite3.connect(db) as connection:
        (count,) = connection.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (sender,)).fetchone()
    assert count > 0
    stack.stop()
    stack.start()
    assert slot(client, stack, sender, "language") == "fr"
    replies = say(client, sender, "ok")
    assert all(response_names(text, "fr") for text in replies), replies
