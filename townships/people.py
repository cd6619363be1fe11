"""People as a picker shows them: 姓名（单位/乡镇）, never a bare login name (issue 19)."""

from django import forms


def person_label(user) -> str:
    """张三（碧湖镇）: the person's name and the places their roles cover; the login name only when nameless."""
    name = user.get_full_name().strip() or user.username
    memberships = getattr(user, "picker_memberships", None)
    if memberships is None:
        memberships = list(user.memberships.select_related("township", "county", "city"))
    places = []
    for m in memberships:
        place = m.township or m.county or m.city
        if place is not None and place.name not in places:
            places.append(place.name)
    return f"{name}（{'、'.join(places)}）" if places else name


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return person_label(obj)
