"""Which country of the route a message names, or a shared location lies in.

"I am in Bihać", "Sırbistan'da", "в Сербии", "u Srbiji", "در صربستان", "বসনিয়ায়": people say
where they are in their own language, spelling and grammar. Names are compared in `nlu.text`
normal form, so accents, Arabic letter variants and case do not matter. A name ending in `*`
is a stem: it matches every word that starts with it, which covers the case endings of
Slavic languages, Turkish, Albanian and Bengali ("Srbiji", "Сербии", "Shqipërisë"). A name
of several words is written with `+` between them. Camps and border towns people on the
route name most are included.

A location shared on Telegram or WhatsApp is placed in the country of the nearest populated
place (`data/places.csv`, GeoNames), offline: nothing is sent anywhere.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from nlu.text import normalise

_NAMES: dict[str, str] = {
    "RS": """
        serbi* serbien sırbistan* sirbistan* sirbiya sarbia srbia srbij* сербі* серби* србиј*
        صربيا صربیا صربستان* سربیا سربستان* سەربیا سڕبیا সার্বিয়া* ሰርብያ ሰርቢያ serbestan
        belgrad* beograd* белград* београд* بلغراد بلگراد ቤልግሬድ
        subotic* суботиц* sombor* sid šid шид kikind* obrenovac* обреновац* krnjac* крњач* presev*
        прешев* bujanov* vranje adasevci adaševci principovac tutin sjenic* bogovad* horgos* хоргош
        صربیا* صربستان* سربیا* سەربیا* سڕبیا* بلغراد* بلگراد* بلګراد* بەلگراد* বেলগ্রেড* সার্বিয়া*
        سوبوتیتسا* سوبوتیکا* سوبۆتیتسا* সুবোটিকা* ሱቦቲጻ اوبرینو* ابرینو* ئۆبرێنۆ* ابرنوو* کرنیاچ* کرنیاتش*
        پریشوو* پرشوو* پرێشێڤ* بریشیفو* پرېشېو* شید سومبور* کیکیندا* توتین سیینیتسا* بوگوواج* ቤልግሬድ ኦብረኖቫጽ
        ክርንያጫ ፕረሸቮ
    """,
    "BA": """
        bosni* bosna* bosnya* bosnie* bosnien bosniya boosni* bih босни* босні* босна* hercegovin*
        herzegovin* herzegowin*
        херцеговин*
        البوسنه* بوسنيا بوسنه بوسنی* بوسنیا بۆسنە বসনিয়া* ቦስንያ ቦስኒያ ቦዝንያ
        sarajev* сарајев* сараев* سراييفو سارایوو bihac* бихаћ* бихач* بيهاتش بیهاچ
        kladus* кладуш* lipa usivak ušivak blazuj blažuj borici borići tuzl* тузл* mostar*
        salakovac delijas delijaš izacic* izačić*
        بوسنی* بوسنیا* بۆسن* البوسنه* سراییفو* سارایوو* سراییوو* سارایێڤ* সারায়েভো* ሳራየቮ بیهاتش* بیهاچ*
        بیهاتچ* بیهاج* বিহাচ* ቢሃች کلادوش* ክላዱሻ لیپا ሊፓ লিপা* اوشیواک* اوشیفاک* ئوشیڤاک* بلاجوی* بلاژوی*
        بوریتشی* بوریچی* توزلا* موستار*
    """,
    "MK": """
        macedoni* macedoin* makedon* mazedon* maqedoni* masedoniya makedooni* македон* македоні*
        مقدونيا مقدونیه* مقدونیا مەقدۆنیا মেসিডোনিয়া* ম্যাসেডোনিয়া* መቄዶንያ ማቄዶንያ
        skopj* skopie скопј* скопь* скопи* سكوبيه اسکوپیه tabanov* табанов* vinojug* винојуг*
        gevgelij* gevgelia гевгелиј* kumanov* куманов* lojane vizbegovo
        مقدونیا* مقدونیه* مەقدۆنیا* سکوبی* اسکوپی* سکوبیه* اسکوپیه* سکوپیه* سکوپیی* اسکوپیا*
        سکۆپیە* ስኮፕየ স্কোপিয়ে*
        تابانوف* تابانوچ* ታባኖቨ* فینوجوغ* وینوجوگ* وینویوگ* ڤینۆیوگ* ቪኖዩግ غیفغیلیا* گوگلیا* گیوگلیا* کومانوو*
        کومانوفو*
    """,
    "ME": """
        montenegr* monténégro crn*+gor* црн*+гор* черногор* чорногор* karadag* karadağ*
        mali+i+zi malit+te+zi malin+e+zi الجبل+الاسود مونتنگرو مونتهنگرو مونته+نگرو مونتی+نیگرو
        مونټی+نیګرو مۆنتینیگرۆ মন্টিনিগ্রো* মন্টেনেগ্রো* ሞንተኔግሮ podgoric* подгориц* bozaj božaj
        spuz spuž konik ulcinj* улцињ* herceg+novi херцег+нови
        مونتنگرو* مونتهنگرو* مۆنتینیگرۆ* بودغوریتسا* پودگوریتسا* پودګوریتسا* پۆدگۆریتسا* ፖድጎሪጻ পডগোরিৎসা*
    """,
    "AL": """
        albani* albanie albanien albaani* albanya* shqiperi* shqipëri* arnavutluk* arnawidistan*
        албани* албані* ألبانيا البانيا البانی* البانیه ئەلبانیا আলবেনিয়া* ኣልባንያ አልባኒያ
        tirana tirane tiranë тирана тиране тирани تيرانا تیرانا kakavij* kakavia shkod* durres*
        durrës*
        البانیا* البانی* ئەلبانیا* تیرانا* تیران
    """,
    "HR": """
        croati* croatie kroati* kroacia* kroacis* hrvatsk* hırvatistan* hirvatistan* xirwatistan*
        korweeshi* kroweshi* хорвати* хорваті* хрватск* كرواتيا کرواسی* کرواتیا کروشیا
        کرۆاتیا ক্রোয়েশিয়া* ክሮኤሽያ ክሮሽያ zagreb* загреб* زغرب زاگرب kutin* porin rijek*
        کرواتیا* کرواسی* کروشیا* کرۆاتیا* زغرب* زاگرب* زاګرب* زاگرێب* জাগরেব* ዛግረብ
    """,
}
"""Country -> its names and stems, in every language of the service and the local ones."""

_SCRIPT_PREFIXES: tuple[tuple[str, str, int], ...] = (
    ("\u0600", "\u06ff", 3),  # Arabic script: ب، ل، و، ال، بال attach to the next word
    ("\u1200", "\u139f", 1),  # Ge'ez: ብ، ን attach to the next word
)
_MIN_STEM = 4
_PLACES = Path(__file__).resolve().parent / "data" / "places.csv"
_ROUTE_COUNTRIES = frozenset(_NAMES)
_MAX_DISTANCE_KM = 50.0
"""A location farther than this from every known place is not placed at all."""


_KEY = 3
"""A name's first word and a word that matches it share their first letters, this many at most."""


@lru_cache(maxsize=1)
def _index() -> tuple[dict[tuple[str, ...], str], dict[str, list[tuple[tuple[str, ...], str]]]]:
    """Exact names as tuples of normalised words, and names with a stem in them by their first
    letters, each to a country."""
    exact: dict[tuple[str, ...], str] = {}
    stems: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
    for country, names in _NAMES.items():
        for name in names.split():
            words = tuple(normalise(part) + ("*" if part.endswith("*") else "") for part in name.split("+"))
            if any(w.endswith("*") for w in words):
                stems[words[0].rstrip("*")[:_KEY]].append((words, country))
            else:
                exact[words] = country
    return exact, dict(stems)


def _forms(word: str) -> tuple[str, ...]:
    """The word, and in scripts where short words attach to the next one, without them."""
    for low, high, longest in _SCRIPT_PREFIXES:
        if low <= word[0] <= high:
            return (word, *(word[i:] for i in range(1, longest + 1) if len(word) - i >= 3))
    return (word,)


def _matches(pattern: str, word: str, shortest: int) -> bool:
    if pattern.endswith("*"):
        stem = pattern[:-1]
        return len(stem) >= shortest and any(f.startswith(stem) for f in _forms(word))
    return pattern in _forms(word)


def countries_named(text: str) -> set[str]:
    """Every route country the text names, by a country's or a town's name in any form."""
    return set(_countries_named(text))


@lru_cache(maxsize=256)
def _countries_named(text: str) -> frozenset[str]:
    """Cached: the NLU, the slot mappings and the retriever all ask about the same message."""
    exact, stems = _index()
    words = normalise(text).split()
    found = set()
    for i in range(len(words)):
        for size in (1, 2, 3):
            window = tuple(words[i : i + size])
            if len(window) < size:
                break
            country = exact.get(window) or (
                next((exact[(f,)] for f in _forms(window[0]) if (f,) in exact), None) if size == 1 else None
            )
            if country:
                found.add(country)
        candidates = {id(s): s for f in _forms(words[i]) for s in stems.get(f[:_KEY], ())}
        for pattern, country in candidates.values():
            window = tuple(words[i : i + len(pattern)])
            # A stem alone must be long enough to be telling; beside another word, shorter will do.
            shortest = _MIN_STEM if len(pattern) == 1 else _MIN_STEM - 1
            if len(window) == len(pattern) and all(
                _matches(p, w, shortest) for p, w in zip(pattern, window, strict=True)
            ):
                found.add(country)
    return frozenset(found)


def country_in(text: str) -> str | None:
    """The one route country a message names, or None when it names none or several."""
    found = _countries_named(text)
    return next(iter(found)) if len(found) == 1 else None


@lru_cache(maxsize=1)
def _places() -> list[tuple[float, float, str]]:
    with _PLACES.open(encoding="utf-8") as file:
        rows = csv.reader(line for line in file if not line.startswith("#"))
        return [(float(lat), float(lon), cc) for lat, lon, cc in rows]


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def country_at(latitude: float, longitude: float) -> str | None:
    """The route country of the nearest populated place, or None outside the route."""
    if not (-90.0 <= latitude <= 90.0 and -180.0 <= longitude <= 180.0):
        return None
    nearest = min(_places(), key=lambda p: (p[0] - latitude) ** 2 + ((p[1] - longitude) * 0.75) ** 2)
    if _distance_km(latitude, longitude, nearest[0], nearest[1]) > _MAX_DISTANCE_KM:
        return None
    return nearest[2] if nearest[2] in _ROUTE_COUNTRIES else None
