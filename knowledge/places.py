"""Which country of the route a message names, by the country's or a town's name.

"I am in Bihać", "بالبوسنة", "در صربستان", "en Macédoine": people say where they are, in
their own language and spelling. Names are compared in `nlu.text` normal form, so accents,
Arabic letter variants and case do not matter. Camps and border towns people on the route
name most are included; a name of several words is written with "+" between them.
"""

from __future__ import annotations

from functools import lru_cache

from nlu.text import normalise

_NAMES: dict[str, str] = {
    "RS": """
        serbia serbie serbien serbiya serbiyaa srbija srbiji srbiju srbiu sırbistan sirbistan
        сербия сербии сербію сербії србија србији صربيا صربیا صربستان سربیا سربستان سەربیا
        সার্বিয়া serbestan sarbia belgrade belgrad beograd beogradu белград београд بلغراد بلگراد
        subotica sombor sid šid kikinda obrenovac krnjaca krnjača presevo preševo bujanovac vranje
        adasevci adaševci principovac tutin sjenica bogovadja bogovađa
    """,
    "BA": """
        bosnia bosnie bosnien bosna bosni bosniya bih bosna+hersek боснія боснии босна
        босния البوسنة بوسنيا بوسنه بوسنی بوسنیا بۆسنە বসনিয়া bosnya bosnija sarajevo sarajeva
        сараево сарајево سراييفو سارایوو bihac bihać бихач بيهاتش بیهاچ velika+kladusa kladuša
        kladusa lipa usivak ušivak blazuj blažuj borici borići tuzla mostar salakovac delijas
        delijaš
    """,
    "MK": """
        macedonia macedoine macédoine mazedonien makedonija makedonya македонија македония
        македонії مقدونيا مقدونیه مقدونیا مەقدۆنیا মেসিডোনিয়া masedoniya skopje skopie скопје
        скопье سكوبيه اسکوپیه tabanovce vinojug gevgelija gevgelia kumanovo lojane vizbegovo
    """,
    "ME": """
        montenegro monténégro crna+gora crnoj+gori crnagora karadag черногория чорногорія
        црна+гора الجبل+الأسود مونتنگرو مونته+نگرو مونتێنیگرۆ মন্টিনিগ্রো podgorica подгорица
        bozaj božaj spuz spuž konik
    """,
    "AL": """
        albania albanie albanien shqiperi shqipëri shqiperia shqipëria arnavutluk albaniya албания
        албанія албанија ألبانيا البانيا آلبانی البانیا ئەلبانیا আলবেনিয়া tirana tiranë tirane
        тирана تيرانا تیرانا kakavija kakavia babice
    """,
    "HR": """
        croatia croatie kroatien hrvatska hrvatskoj hrvatsku hırvatistan hirvatistan kroatiya
        kroatia хорватия хорватія хрватска كرواتيا کرواسی کرواتیا کرۆاتیا ক্রোয়েশিয়া zagreb
        загреб زغرب زاگرب kutina porin rijeka
    """,
}


@lru_cache(maxsize=1)
def _index() -> dict[tuple[str, ...], str]:
    """Each name, as a tuple of normalised words, to its country."""
    return {
        tuple(normalise(name).split()): country for country, names in _NAMES.items() for name in names.split()
    }


def _forms(word: str) -> tuple[str, ...]:
    """The word, and for Arabic script without the prefixes that attach to it (بال، و، ب، ل)."""
    if "\u0600" <= word[0] <= "\u06ff":
        return (word, *(word[i:] for i in (1, 2, 3) if len(word) - i >= 3))
    return (word,)


def country_in(text: str) -> str | None:
    """The one route country a message names, or None when it names none or several."""
    names = _index()
    words = normalise(text).split()
    found = set()
    for i, word in enumerate(words):
        for size in (1, 2):
            if size == 1:
                country = next((names[(f,)] for f in _forms(word) if (f,) in names), None)
            else:
                country = names.get(tuple(words[i : i + 2]))
            if country:
                found.add(country)
    return found.pop() if len(found) == 1 else None
