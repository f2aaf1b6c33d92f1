"""A bare number stands for a button of the last menu, whatever the channel."""

from channels.menus import MenuMemory, numbered

MENU = {
    "text": "Choose",
    "buttons": [{"title": "English", "payload": "LANG EN"}, {"title": "اردو", "payload": "LANG UR"}],
}


def test_number_maps_to_the_payload_of_the_last_menu() -> None:
    menus = MenuMemory()
    menus.remember("a", [MENU, {"text": "Hello"}])
    assert menus.resolve("a", "3") == "3"
    menus.remember("a", [MENU])
    assert menus.resolve("a", " 2 ") == "LANG UR"
    assert menus.resolve("a", "2") == "2"  # a menu answers only the next message
    assert menus.resolve("b", "1") == "1"


def test_a_reply_without_menu_forgets_the_menu() -> None:
    menus = MenuMemory()
    menus.remember("a", [MENU])
    menus.remember("a", [{"text": "Hello"}])
    assert menus.resolve("a", "1") == "1"


def test_memory_is_bounded() -> None:
    menus = MenuMemory(max_senders=2)
    for sender in "abc":
        menus.remember(sender, [MENU])
    assert menus.resolve("a", "1") == "1"
    assert menus.resolve("c", "1") == "LANG EN"


def test_numbered_lists_buttons_under_the_text() -> None:
    assert numbered("Choose", MENU["buttons"]) == "Choose\n1 English\n2 اردو"
    assert numbered("Hi", []) == "Hi"
