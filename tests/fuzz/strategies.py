"""What the fuzz suite sends: hostile values, and query strings or form bodies made of them.

A value is text that may hold anything a client can send: control characters and NUL, lone
surrogates (percent-encoded as their UTF-8-like bytes, %ED%A0%80, as a client would send them),
bytes that are not UTF-8 at all, digits that are not ASCII (①, ², ٣, １), huge and negative
numbers, very long strings, markup meant to be reflected, formulas for spreadsheets, and the
values the site does know (a real slug, a real year), alone or spoiled by one of the above.
"""

from urllib.parse import quote

from hypothesis import strategies as st

# Markup a value may try to inject. Each payload carries a random marker (see `Sent.markers`):
# the marker found right after a raw "<" or '"' in an HTML page means the value was reflected
# without escaping.
INJECTIONS = ("<fz{}>", '"fz{}', "'><fz{}>", '"><script>fz{}</script>')

CONTROL_CHARACTERS = [chr(code) for code in range(0x20)] + ["\x7f", "\x80", "\x85", "\x9f"]
NON_ASCII_DIGITS = ["①", "²", "³", "٣", "１", "２０２５", "߀", "𝟗", "Ⅻ", "〇", "९", "¹²"]
NUMBERS = [
    "0",
    "-1",
    "-0",
    "1e9",
    "1.5",
    "+1",
    " 1",
    "0x10",
    "9" * 19,
    "9" * 40,
    "9" * 5000,  # more digits than int() converts by default
    "-9999999999999999999999",
    "NaN",
    "Infinity",
]
SPECIAL = [
    "",
    " ",
    "%",
    "\\",
    "'",
    '"',
    "--",
    "' OR 1=1 --",
    "*",
    "?",
    "&",
    '=HYPERLINK("http://example.com","x")',
    "@SUM(1+1)",
    "..",
    "../../etc/passwd",
    "null",
    "undefined",
    "[]",
    "{}",
    "\ufeff",
    "\u200b",
    "\U0001f600",
    "e\u0301",
    "ﬁ",
    "ǅ",
]
# Byte sequences that are not valid UTF-8, already percent-encoded.
RAW_BYTES = ["%ED%A0%80", "%ED%BF%BF", "%FF", "%C0%80", "%E2%82", "%F4%90%80%80", "%00"]


@st.composite
def markers(draw):
    return draw(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=8, max_size=8))


class Sent:
    """One value as sent (`encoded`, percent-encoded) and the markers it carries."""

    def __init__(self, encoded, markers=()):
        self.encoded = encoded
        self.markers = tuple(markers)

    def __repr__(self):
        return f"Sent({self.encoded[:200]!r}{'…' if len(self.encoded) > 200 else ''})"


def encode(text):
    """Percent-encode text as a client would, lone surrogates as their three bytes."""
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


def _text_values(known):
    any_text = st.text(st.characters(codec=None), max_size=40)  # surrogates included
    long_text = st.builds(
        lambda char, size: char * size,
        st.sampled_from(["a", "é", "\x00", "①", "<", "9", " ", "\U0001f600"]),
        st.integers(min_value=200, max_value=20_000),
    )
    pieces = [
        st.sampled_from(CONTROL_CHARACTERS),
        st.sampled_from(NON_ASCII_DIGITS),
        st.sampled_from(NUMBERS),
        st.sampled_from(SPECIAL),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        any_text,
    ]
    if known:
        pieces.append(st.sampled_from(known))
    piece = st.one_of(pieces)
    # Several pieces run together: a value the site knows spoiled at its start, in its middle or
    # at its end, digits mixed with control characters…
    spoiled = st.lists(piece, min_size=2, max_size=4).map("".join)
    return st.one_of(*pieces, spoiled, long_text)


@st.composite
def values(draw, known=()):
    """A value to send (a `Sent`), possibly carrying an injection marker."""
    kind = draw(st.integers(min_value=0, max_value=7))
    if kind == 0:
        marker = draw(markers())
        payload = draw(st.sampled_from(INJECTIONS)).format(marker)
        around = draw(_text_values(known))
        return Sent(encode(payload + around), [marker])
    if kind == 1:
        before = draw(_text_values(known))
        raw = draw(st.lists(st.sampled_from(RAW_BYTES), min_size=1, max_size=3))
        return Sent(encode(before) + "".join(raw))
    return Sent(encode(draw(_text_values(known))))


OTHER_NAMES = ["page", "p", "q", "tri", "ordering", "o", "annee", "date", "next", "e", "export"]


@st.composite
def parameters(draw, names, known_values=None, max_extra=2):
    """A list of (name, Sent) pairs: about half of the parameters the target knows (some twice),
    and a few it does not know."""
    known_values = known_values or {}
    chosen = [name for name in names if draw(st.booleans())]
    chosen += draw(st.lists(st.sampled_from(list(names)), max_size=2)) if names else []
    chosen += draw(
        st.lists(
            st.one_of(
                st.text(st.characters(codec=None), min_size=1, max_size=10),
                st.sampled_from(OTHER_NAMES),
            ),
            max_size=max_extra,
        )
    )
    pairs = []
    for name in draw(st.permutations(chosen)) if chosen else []:
        value = draw(values(known=tuple(known_values.get(name, ()))))
        pairs.append((name, value))
    return pairs


def query_string(pairs):
    return "&".join(f"{encode(name)}={value.encoded}" for name, value in pairs)


def path_segments(known=()):
    """A path segment: a known one spoiled, or anything, percent-encoded (never empty)."""
    return values(known=known).filter(lambda sent: sent.encoded not in ("", "%20"))
