"""Which path a message takes: small talk, a request for a person, or the knowledge base.

The intent classifier is trained in six languages and the service speaks nineteen, so it must
not decide whether a question may reach the (multilingual) knowledge base. Here it only
confirms short small talk; greetings, thanks and goodbyes are also recognised in every
language by a word list, and a request for a person by phrases in every language. Everything
else goes to the knowledge base, whose calibrated confidence decides between answering,
asking which of two or three topics was meant, and saying it is not sure. Danger is decided
after this, by `nlu.risk`, and typed commands by `nlu.commands`; both override the route.

Words are compared in `nlu.text` normal form. Every non-English phrase is a developers' draft,
to be checked by native speakers like the other translations.
"""

from __future__ import annotations

from functools import lru_cache

from common.vocabulary import ASK_QUESTION, INFORM_COUNTRY, REQUEST_HUMAN
from nlu.language import CORE_LANGUAGES
from nlu.places import country_in
from nlu.text import normalise

KNOWLEDGE_INTENT = ASK_QUESTION
SMALL_TALK_INTENTS = frozenset({"greet", "goodbye", "thank", "affirm", "deny", "bot_challenge"})
"""Intents the classifier may keep, for a short message it is sure about."""
KEPT_INTENTS = frozenset({INFORM_COUNTRY})
"""Intents that already lead to the knowledge base's action."""
SHORT_WORDS = 4
CLASSIFIER_CONFIDENCE = 0.8

_SMALL_TALK: dict[str, str] = {
    "greet": """
        hi|hii|hiii|hello|helo|hallo|hey|heyy|hiya|hola|yo|greetings|good+morning|good+evening|
        good+afternoon|good+day|
        salam|salaam|slm|salamu|salom|assalam|assalamu|asalam|asalamu|asc|aoa|alaikum|alaykum|aleikum|
        alikum|walaikum|as+salamu|as+salam|wa+alaikum|wa+aleikum|wa+alaykum|marhaba|marhaban|ahlan|ahla|
        ahlin|sabah+el+kheir|sabah+al+khair|sba7+lkhir|labas|dorood|
        bonjour|bonsoir|salut|coucou|guten+tag|guten+morgen|guten+abend|gruss+gott|moin|servus|
        merhaba|selam|selamlar|selamun+aleykum|gunaydin|iyi+gunler|iyi+aksamlar|
        nabad|salaan|iska+warran|ma+nabad+baa|subax+wanaagsan|galab+wanaagsan|asalaamu+calaykum|
        silav|rojbas|roj+bas|evar+bas|spede+bas|merheba|slav|
        tungjatjeta|pershendetje|miredita|miremengjes|mirembrema|tung|ckemi|
        pozdrav|zdravo|cao|ciao|hej|dobar+dan|dobro+jutro|dobro+vece|dobro+vecer|dobra+vecer|pomaze+bog|
        selam+alejkum|
        привет|привіт|вітаю|здравствуйте|здравствуй|здраствуйте|здрастуйте|приветствую|хай|салам|
        салам+алейкум|ассаламу+алейкум|добрый+день|доброе+утро|добрый+вечер|добрий+день|доброго+дня|
        добрий+ранок|доброго+ранку|добрий+вечір|доброго+вечора|
        здраво|ћао|чао|добар+дан|добро+јутро|добро+вече|поздрав|помаже+бог|добар+ден|добро+утро|
        добра+вечер|
        السلام+عليكم|سلام+عليكم|السلام|سلام|مرحبا|مرحبه|اهلا|اهلين|هلا|هلو|صباح+الخير|مساء+الخير|
        صباح+النور|مساء+النور|سلام+علیکم|السلام+علیکم|درود|صبح+بخیر|عصر+بخیر|روز+بخیر|ستړی+مه+شی|
        پخیر|سهار+مو+پخیر|ماښام+مو+پخیر|آداب|سڵاو|بەیانی+باش|ئێوارە+باش|ئێوارەتان+باش|ڕۆژ+باش|
        হ্যালো|হাই|সালাম|আসসালামু+আলাইকুম|নমস্কার|শুভ+সকাল|শুভ+সন্ধ্যা|
        ሰላም|ሰላማት|ከመይ+ኣለኹም|ከመይ+ኣለኻ|ከመይ+ቀኒኹም|ከመይ+ሓዲርኩም|ደሓን+ሓዲርኩም|ደሓን+ውዒልኩም|ከመይ+ኣምሲኹም|
        how+are+you|how+r+u|hru|comment+ca+va|ca+va|wie+gehts|wie+geht+es+dir|nasilsin|nasilsiniz|naber|
        iyi+misin|kak+dela|как+дела|як+справи|kako+si|kako+ste|како+си|како+сте|si+je|si+jeni|
        خوبی|خوبین|چطوری|چطورید|حالت+چطوره|حال+شما+چطور+است|حال+شما+چطوره|حالتون+چطوره|حال+شما|
        چطور+هستید|خوب+هستید|حالت+خوبه|چه+خبر|ښه+یې|ښه+یاست|څنګه+یې|کیسے+ہیں|کیسے+ہو|کیا+حال+ہے|
        كيف+الحال|كيف+حالك|كيفك|شلونك|ازيك|عامل+ايه|چۆنی|چۆنن|چاکی|باشی|কেমন+আছেন|কেমন+আছো|kaise+ho|
        kaise+hain|kese+ho|kya+haal+hai|keef+halak|kifak|kif+halak|chetori|khubi|khobi|halet+chetore|
        ከመይ+ኣሎኻ|ከመይ+ኣሎኺ|sidee+tahay|ma+fiicantahay|tu+cawa+yi|cawa+yi|hun+cawa+ne|tu+basi
    """,
    "thank": """
        thanks|thank|thx|thnx|ty|tnx|cheers|appreciate+it|merci|remercie|danke|vielen+dank|dankeschon|
        tesekkurler|tesekkur|sagol|sag+ol|sagolun|eyvallah|mahadsanid|mahadsanidiin|mahadsantahay|mhd|
        spas|sipas|gelek+spas|zor+spas|zor+supas|faleminderit|flm|rrofsh|hvala|fala|
        хвала|благодарам|фала|спасибо|спасибі|дякую|благодарю|
        شكرا|شكر|مشكور|مشكورين|يعطيك+العافيه|الله+يعطيك+العافيه|جزاك+الله+خير|تسلم|ممنون|مرسی|تشکر|سپاس|
        دستت+درد+نکنه|مننه|شکریه|شکریا|جزاک+الله|سوپاس|دەستت+خۆش|
        ধন্যবাদ|শুকরিয়া|জাজাকাল্লাহ|জাজাকাল্লাহ+খাইর|የቐንየለይ|የቐንየልና|
        shukran|choukran|shukriya|shukria|mersi|tashakor|tashakur|manana|mamnoon|mamnun|dhonnobad|
        dhanyabad|jazakallah|jazak+allah+khair
    """,
    "goodbye": """
        bye|goodbye|good+bye|see+you|good+night|au+revoir|bonne+soiree|bonne+journee|tschuss|
        auf+wiedersehen|gute+nacht|gule+gule|hosca+kal|iyi+geceler|nabad+gelyo|habeen+wanaagsan|
        bi+xatire+te|mirupafshim|naten+e+mire|dovidjenja|dovidenja|laku+noc|довиђења|пријатно|
        лаку+ноћ|до+свидания|пока|спокойной+ночи|до+побачення|бувай|на+добраніч|збогум|
        مع+السلامه|باي|تصبح+على+خير|خداحافظ|خدا+حافظ|خداحافیظ|شب+بخیر|الله+حافظ|خدای+پامان|
        বিদায়|আল্লাহ+হাফেজ|ቻው|ደሓን+ኩን|ደሓን+ሕደሩ|allah+hafiz|khuda+hafiz|khudahafiz|maasalama|ma+salama
    """,
}
"""Intent -> phrases; `|` between phrases, `+` between the words of one phrase."""

_FILLERS = """
    and|also|again|all|everyone|everybody|there|dear|friend|friends|brother|bro|sister|sir|
    madam|team|very|much|so|lot|a|you|u|guys|please|pls|plz|ok|okay|beaucoup|ederim|puno|mnogo|
    большое|огромное|дуже|много|schon|sehr|herzlich|cok|shume|velika|জনাব|অনেক|
    جزيلا|كثير|خیلی|زیاد|ډیره|بہت|بهت|ورحمه|الله|وبركاته|
    et|mon|ami|amis|tout|le|monde|und|alle|arkadaslar|abi|kardes|walaal|heval|vella|bruder|brate|
    brat|drug|akhi|habibi|ya|ji|jan|jaan|bhai|bhaiya|kaka|agha|sahib|wallah|vam|ju|shume|
    understood|got|it|compris|verstanden|anladim|razumijem|razumem|понял|поняла|понятно|ясно|
    зрозумів|зрозуміла|разбрав|ребята|хлопці|друзья|ви|i|пуно|многу|ኣሕዋት|ሓወይ|ሓፍተይ|ብጣዕሚ|ভাই|আপু|বোন|
    и|всем|брат|друг|вам|тебе|اخي|اخوی|اخویا|یا|عزیزی|برادر|جان|ورور|بھائی|جی|و|ভাই|আপনাকে|ብዙሕ
"""
"""Words around a greeting or a thanks that do not make it a question."""

_PERSON_REQUESTS = """
    talk+to+someone|speak+to+someone|talk+with+someone|speak+with+someone|talk+to+somebody|
    talk+to+a+person|speak+to+a+person|talk+to+a+human|speak+to+a+human|talk+to+human|real+person|
    real+human|a+human|human+please|operator|caseworker|case+worker|live+agent|someone+from+your+team|
    person+from+your+team|not+a+bot|not+a+robot|
    parler+a+quelquun|parler+avec+quelquun|une+vraie+personne|un+humain|une+personne+reelle|conseiller|
    mit+einem+menschen|mit+jemandem+sprechen|echte+person|echten+menschen|
    biriyle+konusmak|biriyle+konusabilir|gercek+bir+insan|gercek+insan|yetkili|operator|temsilci|
    qof+dhab|qof+ila+hadla|la+hadlo+qof|qof+aan+la+hadlo|
    flas+me+dike|flas+me+nje+njeri|njeri+te+vertete|flas+me+nje+person|
    bi+mirovek|mirovek+rasti|bi+kesek+re|
    حدا+من+الفريق|احكي+مع+حدا|احكي+مع+شخص|اكلم+حد|اكلم+شخص|اتكلم+مع+شخص|اتكلم+مع+حد|التحدث+مع+شخص|
    شخص+حقيقي|انسان+حقيقي|موظف|مع+انسان|
    با+یک+نفر+صحبت|با+یک+ادم+صحبت|با+یک+نفر+حرف|با+یک+انسان|ادم+واقعی|انسان+واقعی|اپراتور|کارمند|
    له+یو+انسان+سره|له+یو+سړی+سره|له+یو+کس+سره|رښتینی+انسان|
    کسی+انسان+سے|کسی+بندے+سے|کسی+شخص+سے|اصلی+انسان|آپریٹر|اپریٹر|نمائنده|
    لەگەڵ+کەسێک|لەگەڵ+مرۆڤێک|مرۆڤی+ڕاستەقینە|
    মানুষের+সাথে+কথা|কারো+সাথে+কথা|আসল+মানুষ|অপারেটর|
    ምስ+ሰብ|ሓቀኛ+ሰብ|
    з+людиною|з+оператором|з+кимось|жива+людина|з+працівником|
    с+человеком|с+оператором|с+кем+то|живой+человек|с+сотрудником|со+специалистом|
    sa+osobom|sa+covjekom|sa+covekom|s+nekim|sa+nekim|sa+operaterom|prava+osoba|ziva+osoba|
    са+особом|са+човеком|са+неким|са+оператером|жива+особа|
    со+човек|со+некого|со+оператор|вистински+човек|
    insaan+se+baat|insan+se+baat|banday+se+baat|bande+se+baat|a7ki+ma3|ehki+ma3|ba+ye+adam|ba+ye+nafar
"""
"""Phrases that ask for a person from the team, in every language of the service."""


def _phrases(spec: str) -> list[tuple[str, ...]]:
    phrases = (phrase for phrase in spec.split("|") if phrase.strip())
    return [tuple(normalise(word) for word in phrase.split("+")) for phrase in phrases]


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[tuple[str, ...], str], frozenset[str], list[tuple[str, ...]]]:
    small_talk = {phrase: intent for intent, spec in _SMALL_TALK.items() for phrase in _phrases(spec)}
    fillers = frozenset(normalise(word) for word in _FILLERS.split("|"))
    return small_talk, fillers, _phrases(_PERSON_REQUESTS)


def _occurs(phrase: tuple[str, ...], words: list[str]) -> bool:
    size = len(phrase)
    return any(tuple(words[i : i + size]) == phrase for i in range(len(words) - size + 1))


def small_talk(text: str) -> str | None:
    """`greet`, `thank` or `goodbye` when the whole message is only that, else None.

    "salam brother", "thanks a lot", "ok bye": yes; "hi, where can I sleep tonight": no, that
    is a question, and the question is answered.
    """
    table, fillers, _ = _tables()
    words = normalise(text).split()
    found: str | None = None
    i = 0
    while i < len(words):
        for size in (4, 3, 2, 1):
            intent = table.get(tuple(words[i : i + size]))
            if intent:
                found, i = intent, i + size
                break
        else:
            if words[i] not in fillers:
                return None
            i += 1
    return found


def asks_for_person(text: str) -> bool:
    """Whether the message asks to talk to a person from the team."""
    words = normalise(text).split()
    return any(_occurs(phrase, words) for phrase in _tables()[2])


def route(text: str, intent: str | None, confidence: float, lang: str | None = None) -> str:
    """The intent the dialogue acts on, given the classifier's `intent` and `confidence` and
    the message's language: outside the languages it was trained in, the classifier is sure
    of nonsense ("Сербия" is `affirm` at 0.99999), so there it decides nothing."""
    found = small_talk(text)
    if found:
        return found
    if asks_for_person(text):
        return REQUEST_HUMAN
    if intent in KEPT_INTENTS:
        return intent
    short = len(normalise(text).split()) <= SHORT_WORDS
    trained = lang in CORE_LANGUAGES
    sure = confidence >= CLASSIFIER_CONFIDENCE
    # A country ("Mali i Zi") answers "which country?": no thanks, however sure the classifier.
    if intent in SMALL_TALK_INTENTS and short and trained and sure and country_in(text) is None:
        return intent
    return KNOWLEDGE_INTENT

