from django.db import models
from django.utils.translation import gettext_lazy as _


class TestResult(models.TextChoices):
    PENDING = "pending", _("Not yet tested")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")


# What an Excel ledger may write in the result column (the Chinese words offices use, or the codes).
RESULT_WORDS = {
    "合格": TestResult.PASSED,
    "通过": TestResult.PASSED,
    "不合格": TestResult.FAILED,
    "未通过": TestResult.FAILED,
    "待考": TestResult.PENDING,
    "未考": TestResult.PENDING,
    **{c: c for c in TestResult.values},
}
