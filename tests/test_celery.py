import pytest

from renovation.celery import ping

pytestmark = [pytest.mark.celery_worker, pytest.mark.redis]


def test_real_worker_executes_task_through_redis(celery_worker_process):
    result = ping.apply_async(queue=celery_worker_process["queue"])
    assert result.get(timeout=60) == "pong"
    assert "ready" in celery_worker_process["log"].read_text()
