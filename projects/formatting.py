"""How money and names are shown: yuan with thousands separators, 万元 for offices, masked owners."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

WAN = Decimal(10000)


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None


def format_yuan(value) -> str:
    """2000000 -> '2,000,000' (whole yuan; cents shown only when present)."""
    amount = _decimal(value)
    if amount is None:
        return "—"
    if amount == amount.to_integral_value():
        return f"{amount:,.0f}"
    return f"{amount:,.2f}"


def format_wan(value) -> str:
    """2000000 -> '200' and 1234567 -> '123.46' (万元, at most two decimals)."""
    amount = _decimal(value)
    if amount is None:
        return "—"
    wan = (amount / WAN).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    text = f"{wan:,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def mask_name(name: str) -> str:
    """张三明 -> 张*明, 张三 -> 张*, 欧阳小明 -> 欧**明: enough to recognise, not to identify."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
