"""Typed commands: a few words a person can write to steer the assistant on any channel.

The bot's own texts tell people to write them ("write HUMAN", "reply MORE", "LANG AR"), so
they must work whatever the intent classifier thinks: a whole message that is a command is
that command's intent. Commands are compared in `nlu.text` normal form.
"""

from __future__ import annotations

from nlu.language import requested_language
from nlu.text import normalise

COMMANDS: dict[str, tuple[str, ...]] = {
    "more": ("more", "/more", "plus"),
    "change_language": ("lang", "/lang", "language", "/language"),
    "request_human": ("human", "/human", "a human", "person", "humain", "operator"),
    "help": (
        "help", "/help", "aide", "hilfe", "مساعدة", "کمک", "مرسته", "مدد", "সাহায্য", "yardim", "yardım",
        "caawimaad", "alikari", "alîkarî", "یارمەتی", "ሓገዝ", "допомога", "помощь", "pomoc", "pomoć",
        "помоћ", "помош", "ndihme", "ndihmë",
    ),
    "delete_data": (
        "delete", "/delete", "erase", "forget me", "supprimer", "effacer", "حذف", "امسح", "احذف", "پاک کن",
        "ړنګ کړه", "ڈیلیٹ", "মুছুন", "মুছে ফেলুন", "sil", "tirtir", "jê bibe", "بیسڕەوە", "ደምስስ",
        "видалити", "удалить", "obrisi", "obriši", "избриши", "обриши", "fshi", "löschen",
    ),
    "privacy": (
        "privacy", "/privacy", "confidentialite", "confidentialité", "الخصوصية", "حریم خصوصی", "محرمیت",
        "رازداری", "গোপনীয়তা", "gizlilik", "asturnaan", "nepenî", "تایبەتمەندی", "ምስጢራውነት",
        "конфіденційність", "конфиденциальность", "privatnost", "приватност", "privatesia", "privatësia",
        "datenschutz",
    ),
    "affirm": (
        "yes", "oui", "نعم", "بله", "هو", "ہاں", "হ্যাঁ", "evet", "haa", "erê", "بەڵێ", "እወ", "так", "да", "da",
        "po", "ja",
    ),
    "deny": (
        "no", "non", "لا", "نه", "نہیں", "না", "hayir", "hayır", "maya", "na", "نەخێر", "ኣይፋል", "ні", "нет",
        "не", "ne", "jo", "nein",
    ),
}
"""Intent -> the messages that mean it. Every word but the English ones is a draft, to be checked
by native speakers like the other translations. YES and NO are commands because the bot asks
for them by name (to confirm an erasure) in every language, not only the classifier's six."""

_BY_TEXT = {normalise(word): intent for intent, words in COMMANDS.items() for word in words}


def command_intent(text: str) -> str | None:
    """The intent a whole-message command stands for, or None for ordinary text."""
    if requested_language(text):
        return "change_language"
    return _BY_TEXT.get(normalise(text))
