"""A scoring scheme as the tests use it: four weighted components, a heading, leaf items and a veto item."""

from decimal import Decimal

from acceptance.models import Expert, PlanEntry, Scheme, SchemeComponent, SchemeItem
from townships.models import Track

YEAR = 2026
WEIGHTS = {"report": Decimal("10"), "ledger": Decimal("30"), "site": Decimal("50"), "office": Decimal("10")}


def make_scheme(*, year: int = YEAR, pass_mark="80", model_threshold="85") -> Scheme:
    scheme = Scheme.objects.create(
        year=year,
        number=f"丽镇治办〔{year}〕9号",
        title=f"{year}年度小城镇环境综合整治考核验收办法（测试）",
        pass_mark=Decimal(pass_mark) if pass_mark is not None else None,
        model_threshold=Decimal(model_threshold) if model_threshold is not None else None,
    )
    for code, weight in WEIGHTS.items():
        SchemeComponent.objects.create(scheme=scheme, code=code, weight=weight)
    track = {t.code: t for t in Track.objects.all()}

    def item(code, component, name, points, order, **extra):
        return SchemeItem.objects.create(
            scheme=scheme,
            code=code,
            component=component,
            name=name,
            max_points=Decimal(points),
            order=order,
            **extra,
        )

    heading = item("A", "ledger", "规划与台账", "20", 1)
    item(
        "A1",
        "ledger",
        "规划设计台账",
        "10",
        2,
        parent=heading,
        track=track["planning"],
        method="ledger",
        deduction_rule="每缺一项扣2分，扣完为止",
        deduction_per=Decimal("2"),
    )
    item("A2", "ledger", "卫生创建台账", "10", 3, parent=heading, track=track["sanitation"], method="ledger")
    item(
        "B1",
        "site",
        "卫生死角",
        "20",
        4,
        track=track["sanitation"],
        method="site",
        deduction_rule="每发现一处扣1分，扣完为止",
        deduction_per=Decimal("1"),
    )
    item("B2", "site", "道路占道", "30", 5, track=track["road_occupation"], method="site")
    item("C1", "report", "听取汇报", "10", 6, method="report")
    item("D1", "office", "整治办评分", "10", 7)
    item("V1", "site", "发生重大安全责任事故", "0", 8, is_veto=True)
    return scheme


def full_marks(scheme) -> list[dict]:
    return [
        {"item": i.pk, "deductions": 0, "points": None if i.deduction_per is not None else str(i.max_points)}
        for i in scheme.items.filter(children__isnull=True)
    ]


def make_expert(**kwargs) -> Expert:
    return Expert.objects.create(
        name=kwargs.pop("name", "张专家"), unit=kwargs.pop("unit", "市建设局"), **kwargs
    )


def plan(township, by, *, year: int = YEAR, confirmed: bool = True) -> PlanEntry:
    return PlanEntry.objects.create(
        year=year,
        city_id=township.county.city_id,
        township=township,
        proposed_by=by,
        status="confirmed" if confirmed else "proposed",
    )
