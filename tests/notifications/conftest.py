import pytest

from .robot_server import RobotServer


@pytest.fixture
def robot():
    """A DingTalk/WeCom robot on loopback (tests/notifications/robot_server.py)."""
    with RobotServer() as server:
        yield server


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs the on-commit hooks of what happens inside, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
