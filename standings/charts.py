"""Server-rendered SVG charts: geometry computed here, drawn by templates with classes only (CSP)."""

from dataclasses import dataclass
from decimal import Decimal


def _num(value) -> float:
    return float(value or 0)


def _s(value) -> str:
    """SVG coordinates as plain strings: the template would otherwise localize every number."""
    return f"{round(float(value), 1):g}"


@dataclass
class Bar:
    label: str
    value: float
    x: float
    y: float
    width: float
    height: float
    css: str
    text_x: float
    text_y: float
    display: str


def hbar_chart(
    rows, *, label_key, value_key, css_key=None, max_value=None, unit="", width=560, bar=22, gap=8
):
    """Horizontal bars, one per row; returns a dict the template `standings/_hbar.html` draws."""
    label_w, pad = 130, 48
    values = [_num(r[value_key]) for r in rows]
    top = max_value or max(values + [1.0])
    plot_w = width - label_w - pad
    bars = []
    for i, (row, value) in enumerate(zip(rows, values, strict=True)):
        y = i * (bar + gap)
        w = max(0.0, plot_w * min(value, top) / top) if top else 0.0
        bars.append(
            Bar(
                label=str(row[label_key]),
                value=value,
                x=label_w,
                y=y,
                width=round(w, 1),
                height=bar,
                css=str(row.get(css_key, "")) if css_key else "",
                text_x=round(label_w + w + 4, 1),
                text_y=y + bar * 0.7,
                display=f"{value:g}{unit}",
            )
        )
    for b in bars:
        for name in ("x", "y", "width", "height", "text_x", "text_y"):
            setattr(b, name, _s(getattr(b, name)))
    return {
        "bars": bars,
        "width": width,
        "height": max(len(bars) * (bar + gap), bar),
        "label_w": label_w,
        "label_x": label_w - 6,
    }


def paired_bars(rows, *, label_key, actual_key, expected_key, width=560, bar=12, gap=10):
    """Actual vs expected percent per row (township page): two thin bars per row, 0–100 %."""
    label_w, pad = 160, 52
    plot_w = width - label_w - pad
    items = []
    for i, row in enumerate(rows):
        y = i * (2 * bar + gap)
        actual, expected = _num(row[actual_key]), _num(row[expected_key])
        items.append(
            {
                "label": str(row[label_key]),
                "y": _s(y),
                "label_y": _s(y + bar + 3),
                "actual_w": _s(plot_w * min(actual, 100) / 100),
                "expected_w": _s(plot_w * min(expected, 100) / 100),
                "expected_y": _s(y + bar),
                "actual_text_y": _s(y + 10),
                "expected_text_y": _s(y + bar + 10),
                "actual": f"{round(actual, 1):g}%",
                "expected": f"{round(expected, 1):g}%",
                "actual_text_x": _s(label_w + plot_w * min(actual, 100) / 100 + 4),
                "expected_text_x": _s(label_w + plot_w * min(expected, 100) / 100 + 4),
                "css": row.get("colour", ""),
            }
        )
    return {
        "items": items,
        "width": width,
        "height": max(len(items) * (2 * bar + gap), 2 * bar),
        "label_w": label_w,
        "label_x": label_w - 6,
        "bar": bar,
    }


def line_chart(rows, *, x_key, series, width=560, height=220):
    """Lines over periods on a 0–100 % scale; `series` is [(key, css class, label)]."""
    left, right, top, bottom = 36, 30, 10, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(rows)

    def x(i):
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v):
        return top + plot_h * (1 - min(max(_num(v), 0), 100) / 100)

    lines = []
    for key, css, label in series:
        points = [(_s(x(i)), _s(y(r[key]))) for i, r in enumerate(rows) if r[key] is not None]
        lines.append(
            {
                "css": css,
                "label": label,
                "points": " ".join(f"{px},{py}" for px, py in points),
                "dots": [{"x": px, "y": py} for px, py in points],
            }
        )
    grid = [{"y": _s(y(v)), "label": f"{v}%"} for v in (0, 25, 50, 75, 100)]
    ticks = [{"x": _s(x(i)), "label": r[x_key]} for i, r in enumerate(rows)]
    return {
        "lines": lines,
        "grid": grid,
        "ticks": ticks,
        "width": width,
        "height": height,
        "left": left,
        "axis_x": left - 4,
        "right": width - right,
        "tick_y": height - 8,
    }


def pct(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal("0.1"))
