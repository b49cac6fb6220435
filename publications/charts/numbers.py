"""Numbers on the chart: written the French way, and the axis's scale and tick labels."""

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, localcontext

from .text import MINUS, NARROW_NBSP, NBSP

MAX_TICKS = 6
MIN_TICKS = 4
MAX_DECIMALS = 4


def to_decimal(value):
    """`value` (Decimal, int, float or numeric string) as a Decimal."""
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, float):
        number = Decimal(repr(value))  # 0.1 stays 0.1
    else:
        number = Decimal(value)
    if not number.is_finite():
        raise ValueError(f"Not a finite number: {value!r}")
    return number


def decimal_places(value):
    """How many decimals `value` needs: 0 for 12, 12.0 or 1E+3, 2 for 10.25."""
    exponent = to_decimal(value).normalize().as_tuple().exponent
    return max(0, -exponent)


def format_number(value, decimals=None):
    """`value` written the French way: "12 345,5", "−3", "0,25".

    Thousands are separated by a narrow no-break space (U+202F), decimals by a comma, and
    negative numbers take a true minus sign (U+2212), as in CLDR's French. With `decimals`,
    the number is rounded to that many decimals (half up); without, it keeps its own,
    trailing zeros dropped.
    """
    number = to_decimal(value)
    with localcontext() as context:
        context.prec = max(28, len(number.as_tuple().digits) + (decimals or 0) + 2)
        if decimals is not None:
            number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        text = f"{abs(number):f}"
    integer, _, fraction = text.partition(".")
    if decimals is None:
        fraction = fraction.rstrip("0")
    groups = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    result = NARROW_NBSP.join([integer, *groups])
    if fraction:
        result += "," + fraction
    if number < 0 and any(digit in result for digit in "123456789"):
        result = MINUS + result
    return result


def with_unit(text, unit):
    """A formatted number followed by its unit, if any: "12 345 emplois", "10,5 %"."""
    return f"{text}{NBSP}{unit}" if unit else text


@dataclass(frozen=True)
class Scale:
    """The value axis: from `start` to `stop` (both multiples of `step`, 0 between them)."""

    start: Decimal
    stop: Decimal
    step: Decimal

    @property
    def ticks(self):
        count = int((self.stop - self.start) / self.step)
        return [self.start + index * self.step for index in range(count + 1)]

    @property
    def decimals(self):
        return decimal_places(self.step)

    def fraction(self, value):
        """Where `value` lies between start (0.0) and stop (1.0)."""
        return float((to_decimal(value) - self.start) / (self.stop - self.start))


def nice_scale(values, *, max_ticks=MAX_TICKS, min_ticks=MIN_TICKS):
    """The axis for `values`: 0 and every value included, ends rounded to a "nice" step.

    The step is the smallest of 1, 2 or 5 × 10^n giving at most `max_ticks` ticks; if that
    leaves fewer than `min_ticks` (values on both sides of zero), the axis is lengthened on the
    side of the values. All-zero (or no) values get a 0 to 5 axis.
    """
    numbers = [to_decimal(value) for value in values]
    low = min([Decimal(0), *numbers])
    high = max([Decimal(0), *numbers])
    if low == high:
        return Scale(Decimal(0), Decimal(5), Decimal(1))
    exponent = (high - low).adjusted() - 1  # a step of 10^exponent gives more than 5 intervals
    while True:
        for multiple in (1, 2, 5):
            step = Decimal(multiple).scaleb(exponent)
            start = (low / step).to_integral_value(rounding=ROUND_FLOOR) * step
            stop = (high / step).to_integral_value(rounding=ROUND_CEILING) * step
            if (stop - start) / step <= max_ticks - 1:
                while (stop - start) / step < min_ticks - 1:
                    if high > 0:
                        stop += step
                    else:
                        start -= step
                return Scale(start, stop, step)
        exponent += 1


ABRIDGED = [(Decimal("1E9"), "Md"), (Decimal("1E6"), "M"), (Decimal("1E3"), "k")]


def tick_label(value, scale, unit="", abridged=False):
    """The label of an axis tick: "20 000", "20 %"; abridged, "20 k", "1,5 M€", "2 Md€"."""
    if value == 0:
        return with_unit("0", unit)
    if abridged:
        for size, symbol in ABRIDGED:
            if scale.step * 5 >= size:  # at most one decimal: "0,2 M", "1,5 k"
                number = format_number(value / size, decimal_places(scale.step / size))
                return f"{number}{NBSP}{symbol}{unit}"
    return with_unit(format_number(value, scale.decimals), unit)
