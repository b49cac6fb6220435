"""French text analysis for the search backends that do none: accents, case, elisions, stop
words, plurals and common inflections.

`analyse("Les coopératives d'activité")` gives `["cooper", "activit"]`: the words folded to
lower-case ASCII, elisions (l', d', qu'…) and stop words removed, each word reduced to its
Snowball stem. Indexed text and queries go through the same function, so "cooperative
d'activite" finds "Coopératives d'activité et d'emploi".
"""

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

# Words too common to tell documents apart (Snowball's French list, folded, plus elided forms).
_STOP_WORDS_TEXT = """
    a ai aie aient aies ait as au aura aurai auraient aurais aurait auras aurez auriez aurions
    aurons auront aux avaient avais avait avec avez aviez avions avons ayant ayez ayons c ce ceci
    cela celle celles celui ces cet cette d dans de des du elle elles en es est et etaient etais
    etait etant ete etes etiez etions eu eue eues eumes eurent eus eusse eussent eusses eussiez
    eussions eut eutes eux fumes furent fus fusse fussent fusses fussiez fussions fut futes ici
    il ils j je l la le les leur leurs lui m ma mais me meme mes moi mon n ne nos notre nous on
    ont ou par pas pour qu que quel quelle quelles quels qui s sa sans se sera serai seraient
    serais serait seras serez seriez serions serons seront ses soi soient sois soit sommes son
    sont soyez soyons suis sur t ta te tes toi ton tu un une vos votre vous y
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())
ELISION = re.compile(r"\b(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)['’]", re.IGNORECASE)
WORD = re.compile(r"[a-z0-9]+")

_stemmer = snowballstemmer.stemmer("french")


def fold(text):
    """Lower-case, without accents or ligatures: "Économie Œuvre" → "economie oeuvre"."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=50_000)
def stem(word):
    """The stem of a folded word; a final plural s or x left by Snowball is dropped too."""
    result = _stemmer.stemWord(word)
    if len(result) > 3 and result[-1] in "sx":
        result = result[:-1]
    return result


def words(text):
    """The folded words of a text, elisions removed, stop words kept."""
    return WORD.findall(fold(ELISION.sub(" ", text or "")))


def analyse(text, keep_stop_words=False):
    """The stems of a text's significant words, in order."""
    tokens = words(text)
    if not keep_stop_words:
        tokens = [token for token in tokens if token not in STOP_WORDS]
    return [stem(token) for token in tokens]


def analyse_query(text):
    """The stems of a query; a query made only of stop words ("le", "de la") keeps them."""
    return analyse(text) or analyse(text, keep_stop_words=True)
