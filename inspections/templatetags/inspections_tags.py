import datetime

from django import template

register = template.Library()


@register.filter
def cn_date(value) -> str:
    """A date as offices write it in documents: 2019年3月28日."""
    if not isinstance(value, datetime.date):
        return ""
    return f"{value.year}年{value.month}月{value.day}日"
