"""French typography for text shown to the public: file sizes, spaces, dates and times."""

NBSP = "\u00a0"


def file_size(size):
    """A file size in French units ("820 octets", "245 Ko", "1,2 Mo"), with a non-breaking
    space before the unit; "" when the size is unknown."""
    if size is None or size == "":
        return ""
    try:
        size = int(size)
    except (TypeError, ValueError):
        return ""
    if size < 1024:
        return f"{size}{NBSP}octet{'s' if size > 1 else ''}"
    value = float(size)
    for unit in ("Ko", "Mo", "Go"):
        value /= 1024
        if value < 1024 or unit == "Go":
            break
    number = f"{value:.0f}" if value >= 100 else f"{value:.1f}".removesuffix(".0")
    return f"{number.replace('.', ',')}{NBSP}{unit}"
