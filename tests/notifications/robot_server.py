"""A real HTTP server on loopback that plays a DingTalk and a WeCom group robot.

It checks what the vendors check, with its own code (not ours): DingTalk's access_token, and with 加签
the timestamp (within an hour) and `sign` = base64(HMAC-SHA256(secret, f"{timestamp}\\n{secret}"));
WeCom's key and the 4,096-byte markdown limit. It answers the documented error codes on demand and
records every request it read, with whether its answer got back to the caller.
"""

import base64
import hashlib
import hmac
import json
import socket
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ANSWERS = {
    "ok": {"errcode": 0, "errmsg": "ok"},
    "dingtalk_too_fast": {"errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"},
    "dingtalk_bad_sign": {
        "errcode": 310000,
        "errmsg": "sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]",
    },
    "dingtalk_bad_token": {"errcode": 300001, "errmsg": "token is not exist"},
    "wecom_too_fast": {"errcode": 45009, "errmsg": "api freq out of limit"},
    "wecom_bad_key": {"errcode": 93000, "errmsg": "invalid webhook url, hint: [1700000000_xx]"},
    "wecom_too_long": {"errcode": 40058, "errmsg": "markdown.content exceed max length 4096"},
}


@dataclass
class Post:
    path: str
    query: dict
    body: dict
    answer: dict
    delivered: bool = False  # the answer was written back to a caller still there


@dataclass
class Robot:
    token: str = "dt-access-token-1234567890"
    secret: str = "SECdingtalk-signing-secret-abcdef0123456789"
    wecom_key: str = "wecom-key-0f1e2d3c4b5a"
    script: list = field(default_factory=list)  # answers for the next posts, then "ok"
    posts: list = field(default_factory=list)
    delay: float = 0.0  # seconds before each answer, so that concurrent senders overlap
    hold_next: bool = False  # keep the next request unanswered until `release` is set
    holding: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def ok_posts(self, path_prefix: str = "") -> list[Post]:
        with self.lock:
            return [
                p
                for p in self.posts
                if p.answer["errcode"] == 0 and p.delivered and p.path.startswith(path_prefix)
            ]

    def expected_sign(self, timestamp: str) -> str:
        message = f"{timestamp}\n{self.secret}".encode()
        return base64.b64encode(hmac.new(self.secret.encode(), message, hashlib.sha256).digest()).decode()

    def judge(self, path: str, query: dict, body: dict) -> dict:
        if path == "/robot/send":
            if query.get("access_token") != self.token:
                return ANSWERS["dingtalk_bad_token"]
            if self.secret:
                timestamp, sign = query.get("timestamp", ""), query.get("sign", "")
                if not timestamp.isdigit() or abs(int(timestamp) - time.time() * 1000) > 3600 * 1000:
                    return ANSWERS["dingtalk_bad_sign"]
                if not hmac.compare_digest(sign, self.expected_sign(timestamp)):
                    return ANSWERS["dingtalk_bad_sign"]
            if body.get("msgtype") != "markdown" or not body.get("markdown", {}).get("text"):
                return {"errcode": 40035, "errmsg": "缺少参数 json"}
        elif path == "/cgi-bin/webhook/send":
            if query.get("key") != self.wecom_key:
                return ANSWERS["wecom_bad_key"]
            content = body.get("markdown", {}).get("content", "")
            if len(content.encode()) > 4096:
                return ANSWERS["wecom_too_long"]
        else:
            return {"errcode": 404, "errmsg": "not found"}
        with self.lock:
            if self.script:
                return ANSWERS[self.script.pop(0)]
        return ANSWERS["ok"]


class _Handler(BaseHTTPRequestHandler):
    robot: Robot

    def log_message(self, *args):  # quiet
        pass

    def do_POST(self):  # noqa: N802
        parts = urllib.parse.urlsplit(self.path)
        query = {k: v[0] for k, v in urllib.parse.parse_qs(parts.query).items()}
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            body = json.loads(raw)
        except ValueError:
            body = {}
        robot = self.robot
        answer = robot.judge(parts.path, query, body)
        post = Post(path=parts.path, query=query, body=body, answer=answer)
        with robot.lock:
            robot.posts.append(post)
            hold = robot.hold_next
            robot.hold_next = False
        alive = True
        if robot.delay:
            time.sleep(robot.delay)
        if hold:
            robot.holding.set()
            robot.release.wait(timeout=120)
            # A caller killed meanwhile has gone: its socket was closed by the kernel.
            alive = _peer_alive(self.connection)
        data = json.dumps(answer).encode()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
            post.delivered = alive
        except OSError:
            post.delivered = False


def _peer_alive(sock) -> bool:
    try:
        return sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) != b""  # b"": the peer closed
    except BlockingIOError:
        return True  # nothing to read: still waiting for our answer
    except OSError:
        return False


class RobotServer:
    def __init__(self):
        self.robot = Robot()
        handler = type("Handler", (_Handler,), {"robot": self.robot})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def dingtalk_url(self) -> str:
        return f"{self.base}/robot/send?access_token={self.robot.token}"

    @property
    def wecom_url(self) -> str:
        return f"{self.base}/cgi-bin/webhook/send?key={self.robot.wecom_key}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.robot.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()
