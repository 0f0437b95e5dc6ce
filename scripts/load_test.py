#!/usr/bin/python3
"""Bounded loopback load test for `ballast serve`: many concurrent clients mixing valid and invalid requests.

Usage:
  ballast serve --model model.onnx --port 8080 &
  /usr/bin/python3 scripts/load_test.py --url http://127.0.0.1:8080 --clients 16 --seconds 20

Valid requests (generate, score, model info) must all get 200; invalid ones (malformed JSON, wrong types,
unknown fields, over-limit sizes, unknown paths) must all get a 4xx with a JSON error body. Reports p50/p99
latency of the valid requests, checks /health at the end, and exits 1 on any failure. Stdlib only.
"""
import argparse
import http.client
import json
import random
import sys
import threading
import time
from urllib.parse import urlparse

VALID = [
    ("POST", "/v1/generate", {"prompt": "ROMEO:", "max_tokens": 40, "temperature": 0.8, "seed": 1}),
    ("POST", "/v1/generate", {"prompt": "", "max_tokens": 20, "top_k": 5, "stop": ["\n\n"]}),
    ("POST", "/v1/generate", {"prompt": "To be", "max_tokens": 30, "temperature": 0, "stream": True}),
    ("POST", "/v1/score", {"text": "What light through yonder window breaks?", "per_token": True}),
    ("POST", "/v1/score", {"text": "It is the east, and Juliet is the sun."}),
    ("GET", "/v1/model", None),
    ("GET", "/health", None),
]
INVALID = [
    ("POST", "/v1/generate", b'{"prompt": "ROMEO:"'),
    ("POST", "/v1/generate", b'{"prompt": 42}'),
    ("POST", "/v1/generate", b'{"max_tokens": "10"}'),
    ("POST", "/v1/generate", b'{"max_tokens": 100000}'),
    ("POST", "/v1/generate", b'{"temperature": -3}'),
    ("POST", "/v1/generate", b'{"promt": "typo"}'),
    ("POST", "/v1/generate", b'[]'),
    ("POST", "/v1/generate", b'\xff\xfe\x00garbage'),
    ("POST", "/v1/generate", b'{"prompt": "' + b"x" * 70000 + b'"}'),
    ("POST", "/v1/score", b'{}'),
    ("POST", "/v1/score", b'{"text": ""}'),
    ("POST", "/v1/score", b'{"text": ["a"]}'),
    ("GET", "/v1/generate", None),
    ("POST", "/nope", b"{}"),
]


def request(host, port, method, path, body):
    conn = http.client.HTTPConnection(host, port, timeout=60)
    try:
        data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
        conn.request(method, path, body=data, headers={"Content-Type": "application/json"} if data else {})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default="http://127.0.0.1:8080")
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--invalid-share", type=float, default=0.4)
    args = ap.parse_args()
    u = urlparse(args.url)
    host, port = u.hostname, u.port or 80
    if host not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("load_test.py only targets loopback")

    lock = threading.Lock()
    latencies, failures = [], []
    counts = {"valid": 0, "invalid": 0}
    deadline = time.monotonic() + args.seconds

    def client(seed):
        rnd = random.Random(seed)
        while time.monotonic() < deadline:
            invalid = rnd.random() < args.invalid_share
            method, path, body = rnd.choice(INVALID if invalid else VALID)
            t0 = time.perf_counter()
            try:
                status, payload = request(host, port, method, path, body)
            except Exception as e:  # a refused or dropped connection is a failure either way
                with lock:
                    failures.append(f"{method} {path}: {e!r}")
                continue
            dt = time.perf_counter() - t0
            ok = (400 <= status < 500 and b'"error"' in payload) if invalid else status == 200
            with lock:
                counts["invalid" if invalid else "valid"] += 1
                if not invalid:
                    latencies.append(dt)
                if not ok:
                    failures.append(f"{method} {path}: HTTP {status} {payload[:120]!r}")

    threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    status, payload = request(host, port, "GET", "/health", None)
    alive = status == 200 and json.loads(payload)["status"] == "ok"
    latencies.sort()
    pct = lambda p: latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")
    print(f"{args.clients} clients for {args.seconds:.0f} s: {counts['valid']} valid + {counts['invalid']} invalid requests, "
          f"{len(failures)} failed; valid latency p50 {pct(0.50):.1f} ms, p99 {pct(0.99):.1f} ms; "
          f"server alive at the end: {alive}")
    for f in failures[:10]:
        print("  FAIL " + f)
    sys.exit(0 if alive and not failures else 1)


if __name__ == "__main__":
    main()
