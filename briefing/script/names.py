"""Recognise names in news text: titles, given names, organisations, outlets, canonical forms."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from briefing.model import Gender
from briefing.script.given_names import FEMALE_NAMES, MALE_NAMES


def word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of a word-list literal."""
    return frozenset(text.split())


_ABBR = (
    "Mr|Mrs|Ms|Mx|Dr|Gen|Lt|Col|Sgt|Capt|Adm|Maj|Cpl|Pvt|Cmdr|Sen|Rep|Gov|Pres|Prof|Rev|Fr|"
    "Hon|Atty|Supt|Insp|Det|Jr|Sr|St|Brig|Gens|Reps|Sens"
)
ABBREVIATIONS = frozenset(_ABBR.lower().split("|")) | {"u.s", "u.k", "no", "vs", "inc", "co"}
_TOKEN = (
    rf"(?:(?:{_ABBR})\.|(?:[A-Z]\.){{1,3}}|[A-Z][\w’'\-]*\w|[A-Z]"
    r"|(?:al|el|Al|El|bin|ben)-[A-Z][\w’'\-]*)"
)
_CONNECTOR = (
    r"(?:of|for|de|del|della|der|den|van|von|bin|bint|ibn|da|di|du|dos|das|la|le|al|el|ter|&)"
)
NAME_PATTERN = rf"{_TOKEN}(?:[ \u00a0](?:{_CONNECTOR}[ \u00a0])?{_TOKEN})*"
NAME_RE = re.compile(rf"(?=[A-Z]|[ae]l-|ben-|bin-)(?<![\w’'\-]){NAME_PATTERN}")

OCCUPATIONS = word_set(
    """
    spokesperson spokesman spokeswoman minister official mayor governor president senator
    lawmaker lawyer attorney coach player star actor actress singer executive ceo chief director
    chairman chairwoman leader secretary general commander judge officer manager striker founder
    author researcher scientist professor doctor economist analyst source aide adviser advisor
    prosecutor defendant plaintiff witness victim resident father mother man woman boy girl
    teen teenager student teacher nurse candidate ambassador chancellor premier king queen prince
    princess pope driver pilot captain midfielder defender goalkeeper forward quarterback pitcher
    veteran owner representative spokespeople investigator expert organiser organizer activist
    campaigner councillor councilor sheriff detective inspector superintendent commissioner
    envoy negotiator diplomat landlord tenant firefighter engineer scout farmer paramedic soldier
    trooper agent sergeant lieutenant colonel admiral priest pastor reverend rabbi imam bishop
    historian writer journalist reporter editor columnist critic designer architect artist
    musician rapper drummer guitarist comedian host presenter anchor producer filmmaker
    entrepreneur investor banker trader consultant strategist pollster adviser organizer
    physician surgeon psychologist psychiatrist epidemiologist virologist biologist chemist
    physicist astronomer geologist climatologist meteorologist oceanographer researcher
    fellow lecturer dean principal headteacher headmaster headmistress superintendent
    mother father daughter son wife husband sister brother grandmother grandfather neighbour
    neighbor shopkeeper worker employee nurse midwife caretaker cleaner chef baker butcher
    mechanic electrician plumber builder contractor developer operator survivor refugee migrant
    protester demonstrator voter shopper passenger commuter traveller traveler fan supporter
    athlete sprinter swimmer cyclist runner boxer fighter wrestler golfer skier batsman bowler
    captain winger fullback centre center guard rookie novelist poet playwright
    head member deputy chair chairperson"""
)
TITLES = (
    word_set("""
    mr mrs ms mx miss dr gen lt col sgt capt adm maj cpl pvt cmdr sen rep gov pres prof rev fr
    hon atty supt insp det brig sir dame lord lady president vice secretary minister prime mayor
    governor senator representative congressman congresswoman commander general admiral colonel
    lieutenant sergeant captain major chancellor chief judge justice officer detective inspector
    superintendent commissioner director chairman chairwoman chair ceo cfo coach ambassador
    attorney speaker leader premier councillor councilman councilwoman councilor sheriff pope
    king queen prince princess emperor empress archbishop bishop cardinal father sister rabbi
    imam deputy assistant acting former state foreign defense defence finance health interior
    home justice treasury commerce labor labour education energy transportation agriculture
    homeland security trade culture environment economy affairs staff command central army navy
    air force marine corps u.s. uk us eu un nato federal reserve white house department ministry
    executive managing founder co-founder owner head manager spokesman spokeswoman spokesperson
    professor doctor dean provost principal ranking member majority minority whip party opposition
    mp mep msp mla labour conservative tory democrat democratic republican liberal green envoy
    veteran rookie guard striker midfielder forward defender goalkeeper quarterback pitcher
    novelist author actor actress singer rapper star artist director producer lead
    """)
    | OCCUPATIONS
)
# Title words that also name places and bodies ("State University"), not people's ranks.
_WEAK_TITLES = word_set(
    """
    state u.s. us uk eu un federal foreign home central command house white air force army
    navy marine corps department ministry reserve trade culture environment economy affairs
    staff security homeland interior justice treasury commerce labor labour education energy
    transportation agriculture health finance defense defence party majority minority
    opposition ranking member conservative tory democrat democratic republican liberal green
    police executive managing acting former deputy assistant vice prime head lead"""
)
_STRONG_TITLES = TITLES - _WEAK_TITLES - {"department", "ministry", "office", "house"}
_SUFFIXES = frozenset({"jr.", "sr.", "ii", "iii", "iv", "jr", "sr"})

MALE_TITLES = word_set("mr mr. sir lord king prince emperor father fr. brother")
FEMALE_TITLES = word_set("mrs mrs. ms ms. miss dame lady queen princess empress sister")
MALE_ROLES = word_set(
    """
    spokesman chairman congressman councilman businessman king prince father brother son
    husband boy man sir lord duke emperor actor uncle nephew grandfather boyfriend"""
)
FEMALE_ROLES = word_set(
    """
    spokeswoman chairwoman congresswoman councilwoman businesswoman queen princess mother
    sister daughter wife girl woman dame lady duchess empress actress aunt niece grandmother
    girlfriend"""
)

ORG_WORDS = word_set(
    """
    inc inc. corp corp. co co. ltd ltd. llc plc group company corporation association union
    council committee commission department ministry agency authority administration bank fund
    university college school institute foundation party court police office bureau service
    board league federation club fc united organization organisation network trust society
    coalition alliance centre center hospital church army navy force forces government senate
    house congress parliament assembly airlines motors partners capital holdings industries labs
    technologies systems pharmaceuticals energy media studios records survey institution
    operator station radio television tv airport railway railways agency products services
    solutions brands foods resources properties electronics semiconductor pharma therapeutics
    logistics communications entertainment enterprises ventures airways insurance securities
    ministerium commission"""
)
MEDIA_WORDS = word_set(
    """
    times post news journal magazine tribune herald gazette telegraph guardian chronicle review
    policy press daily weekly observer economist insider wire report reuters bloomberg politico
    axios npr bbc cnn msnbc abc cbs nbc fox ap afp vox wired atlantic verge independent mirror
    sun star globe mail express standard"""
)
# "the Russian said", "the Texan added": a nationality standing for the person just described.
DEMONYMS = word_set(
    """
    american canadian mexican brazilian argentine argentinian chilean colombian peruvian cuban
    british english scottish welsh irish french german italian spanish portuguese dutch belgian
    swiss austrian swedish norwegian danish finnish polish czech slovak hungarian romanian
    bulgarian serbian croatian slovenian greek turkish russian ukrainian belarusian georgian
    armenian kazakh chinese japanese korean taiwanese indian pakistani afghan iranian iraqi
    syrian israeli palestinian lebanese saudi egyptian moroccan algerian tunisian nigerian
    ghanaian kenyan ethiopian somali sudanese ugandan australian indonesian malaysian filipino
    thai vietnamese jamaican venezuelan uruguayan estonian latvian lithuanian swede dane finn
    pole scot brit briton spaniard frenchman frenchwoman englishman englishwoman irishman
    welshman scotsman dutchman serb croat kiwi aussie texan californian floridian"""
)
_ORG_OR_MEDIA = ORG_WORDS | MEDIA_WORDS
# Capitalised words that are not names when they start a sentence or stand alone.
STOPWORDS = word_set(
    """
    the a an and but or so if as at in on of to for by from with without while when where who
    what why how this that these those there here he she it they we i you his her its their our
    my your after before during since until following despite although though because about over
    under among between into onto upon also still yet now then later earlier meanwhile however
    instead indeed last next first second third one two three no not yes all some many most
    several both each every such other another monday tuesday wednesday thursday friday saturday
    sunday january february march july september october november december today yesterday
    tomorrow tonight according asked speaking echoing given critics officials experts members
    residents analysts economists lawmakers tenants workers students parents voters others
    gmt utc bst cet est edt cst cdt pst pdt"""
)


def split_tokens(name: str) -> list[str]:
    """The space-separated tokens of a name."""
    return name.replace("\u00a0", " ").split()


@lru_cache(maxsize=1 << 15)
def strip_titles(name: str) -> tuple[str, tuple[str, ...]]:
    """Drop leading titles and roles: ('Kenneth McKenzie', ['commander', ..., 'gen.'])."""
    tokens = split_tokens(name)
    full = " ".join(tokens)
    is_title = [t.lower() in TITLES or t.lower().rstrip(".") in TITLES for t in tokens]
    if "of" in tokens[1:]:
        cut = tokens.index("of", 1)
        left = [t for k, t in enumerate(tokens[:cut]) if not is_title[k]]
        strong = [t.lower().rstrip(".") not in _WEAK_TITLES for t in tokens[cut + 1 :]]
        if left and not any(f and g for f, g in zip(is_title[cut + 1 :], strong, strict=True)):
            tokens, is_title = tokens[:cut], is_title[:cut]
    if (
        len(tokens) > 2
        and tokens[0].lower() in ORG_WORDS
        and tokens[1] in ("of", "for")
        and not any(t.lower().rstrip(".") in _STRONG_TITLES for t in tokens[2:])
    ):
        # "Department for Transport", "Ministry of Health": a body, not a titled person.
        return full, ()
    last_title = max((k for k, flag in enumerate(is_title) if flag), default=-1)
    after = tokens[last_title + 1 :]
    if any(t.lower().rstrip(".,") in _ORG_OR_MEDIA for t in after) or (
        not after and is_org_name(full)
    ):
        return full, ()
    if last_title < 0 and is_org_name(" ".join(tokens)):
        return full, ()
    end = len(tokens)
    while end > 1 and tokens[end - 1].lower() in _SUFFIXES:
        end -= 1
    start = end - 1
    while start > 0:
        prev = tokens[start - 1]
        low = prev.lower().rstrip(".")
        if low in TITLES or prev.lower() in TITLES or low in STOPWORDS or prev in {"of", "&"}:
            break
        start -= 1
    titles = [t.lower() for t in tokens[:start]]
    core = tokens[start:]
    while core and core[0].islower():
        titles.append(core.pop(0))
    return " ".join(core), tuple(titles)


def title_gender(words: Sequence[str]) -> Gender:
    """Gender implied by titles or role words, UNKNOWN if none."""
    for word in words:
        low = word.lower()
        if low in MALE_TITLES or low.rstrip(".") in MALE_TITLES or low in MALE_ROLES:
            return Gender.MALE
        if low in FEMALE_TITLES or low.rstrip(".") in FEMALE_TITLES or low in FEMALE_ROLES:
            return Gender.FEMALE
    return Gender.UNKNOWN


@lru_cache(maxsize=1 << 15)
def given_name_gender(name: str) -> Gender:
    """Gender suggested by the first token of a person's name."""
    tokens = split_tokens(name)
    if not tokens:
        return Gender.UNKNOWN
    first = tokens[0].lower()
    if first in MALE_NAMES and first not in FEMALE_NAMES:
        return Gender.MALE
    if first in FEMALE_NAMES and first not in MALE_NAMES:
        return Gender.FEMALE
    return Gender.UNKNOWN


@lru_cache(maxsize=1 << 15)
def has_given_name(name: str) -> bool:
    """Whether a name starts with a known given name and has a surname after it."""
    tokens = split_tokens(name)
    return len(tokens) >= 2 and tokens[0].lower() in (MALE_NAMES | FEMALE_NAMES)


def is_acronym(token: str) -> bool:
    """Whether a token is an all-capital abbreviation such as NATO or FBI."""
    letters = token.replace(".", "").replace("-", "")
    return len(letters) >= 2 and letters.isupper() and letters.isalpha()


@lru_cache(maxsize=1 << 15)
def is_org_name(name: str) -> bool:
    """Whether a name looks like an organisation or an outlet rather than a person."""
    tokens = split_tokens(name)
    if len(tokens) == 1 and is_acronym(tokens[0]):
        return True
    return any(t.lower().rstrip(".,") in _ORG_OR_MEDIA for t in tokens)


@lru_cache(maxsize=1 << 15)
def is_media_name(name: str) -> bool:
    """Whether a name looks like a news outlet."""
    return any(t.lower().rstrip(".,") in MEDIA_WORDS for t in split_tokens(name))


@lru_cache(maxsize=1 << 15)
def surname(name: str) -> str:
    """The last token of a name that is not a suffix (Jr., III)."""
    tokens = [t for t in split_tokens(name) if t.lower() not in _SUFFIXES]
    return tokens[-1] if tokens else name


@lru_cache(maxsize=1 << 15)
def clean_mention(name: str) -> str:
    """Drop leading sentence-start words (The, During, Echoing) from a capitalised run."""
    tokens = split_tokens(name)
    owners = [k for k, t in enumerate(tokens[:-1]) if t.endswith(("’s", "'s"))]
    if owners and not any(t.lower() in _ORG_OR_MEDIA for t in tokens[owners[-1] + 1 :]):
        # "Coldplay’s Chris Martin": the name is what follows the possessive.
        tokens = tokens[owners[-1] + 1 :]
    while tokens and (
        tokens[0].lower() in STOPWORDS
        or (
            tokens[0].lower().endswith(("ing", "ly"))
            and len(tokens) > 1
            and tokens[0].lower() not in MALE_NAMES | FEMALE_NAMES
        )
    ):
        tokens.pop(0)
    while tokens and (tokens[-1].lower() in {"of", "&", "and"} or tokens[-1].lower() in STOPWORDS):
        tokens.pop()
    return " ".join(tokens)
