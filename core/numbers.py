"""Numbers as people read them: 50, not 5E+1 (Decimal.normalize() alone turns 50.00 into 5E+1)."""

from decimal import Decimal, InvalidOperation


def finite_decimal(text: str) -> Decimal:
    """Typed text as a finite Decimal; ValueError for anything else (empty text, "NaN", "Infinity")."""
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
    if not number.is_finite():
        raise ValueError(text)
    return number


def plain_number(value) -> str:
    """Decimal('50.00') -> '50', Decimal('12.50') -> '12.5', None -> '—'."""
    if value is None or value == "":
        return "—"
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    if number == number.to_integral_value():
        return f"{number.quantize(Decimal(1)):f}"
    return f"{number.normalize():f}"
