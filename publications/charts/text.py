"""The width of a text on the chart, estimated character by character: no text can be measured
on the server."""

NBSP = "\u00a0"
NARROW_NBSP = "\u202f"
MINUS = "\u2212"
ELLIPSIS = "\u2026"

FONT_SIZE = 14
BOLD = 1.1  # bold text (the values) is this much wider


def char_width(char):
    """The advance of `char`, in em: DejaVu Sans's, rounded up (Arial, Segoe UI, Roboto or San
    Francisco are narrower)."""
    if char in " \u00a0\u202filjIJ.,;:!'’|":
        return 0.34
    if char in 'frt()[]-/«»"':
        return 0.44
    if char in "mwMW%@…":
        return 1.0
    if char in "\u2212+=<>~":  # the minus sign is as wide as the plus
        return 0.86
    if char.isupper():
        return 0.76
    return 0.64  # digits, other lowercase letters


def text_width(text, font_size=FONT_SIZE, bold=False):
    """The estimated width of `text`, in user units."""
    return sum(map(char_width, text)) * font_size * (BOLD if bold else 1)


def number_width(text, font_size=FONT_SIZE):
    """The estimated width of a value as drawn (bold), in user units."""
    return text_width(text, font_size, bold=True)


def tick_width(text, font_size=FONT_SIZE):
    """The estimated width of a tick label (drawn a size smaller), in user units."""
    return text_width(text, font_size - 1)


def truncate(text, max_width, font_size=FONT_SIZE):
    """`text`, shortened with an ellipsis if it is estimated wider than `max_width`."""
    if text_width(text, font_size) <= max_width:
        return text
    room = max_width / font_size - char_width(ELLIPSIS)
    keep = 0
    while keep < len(text) - 1 and char_width(text[keep]) <= room:
        room -= char_width(text[keep])
        keep += 1
    return text[: max(1, keep)].rstrip() + ELLIPSIS
