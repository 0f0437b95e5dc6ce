#!/usr/bin/python3
"""Slow-client check for `ballast serve`: many connections that dawdle must not delay anyone else.

Usage:
  ballast serve --model model.onnx --port 8080 &
  /usr/bin/python3 scripts/slow_clients.py --url http://127.0.0.1:8080 [--clients 200] [--seconds 15]

After a warm-up it times baseline probes (GET /health, POST /v1/score) on the idle server. Then a child
process (so that its work never delays a probe) opens --clients connections that each send one byte every
--interval seconds and never finish: a third trickle request headers, a third send complete headers and then
trickle the body, a third send nothing. While they are connected it keeps probing, then closes everything and
prints a table. Exit 1 if any probe failed or took more than --slack-ms (100) longer than the baseline (the
median baseline probe of that endpoint); exit 2 if the check could not run (bad arguments, not loopback, no
server). Loopback only; at most 2000 connections and 300 s; it stops by itself. Stdlib only.

On a machine busy with other work, single probes can take ~100 ms longer with or without slow clients; run
it with --clients 1 as a control.

With a key (--api-key-file or BALLAST_API_KEY) the probes and the slow connections send it (without it the
server would answer a trickled body's headers with 401 at once).
"""
import argparse
import http.client
import ipaddress
import json
import multiprocessing
import os
import socket
import statistics
import sys
import time
from urllib.parse import urlparse

MAX_CLIENTS = 2000
MAX_SECONDS = 300
SCORE_BODY = json.dumps({"text": "To be, or not to be, that is the question."}).encode()


def give_up(message):
    print("slow_clients.py: " + message, file=sys.stderr)
    sys.exit(2)


def loopback_target(url):
    u = urlparse(url)
    if u.scheme != "http" or not u.hostname:
        give_up("--url must look like http://127.0.0.1:8080")
    try:
        infos = socket.getaddrinfo(u.hostname, u.port or 80, type=socket.SOCK_STREAM)
    except socket.gaierror:
        give_up("cannot resolve %s" % u.hostname)
    family, _, _, _, addr = infos[0]
    if not ipaddress.ip_address(addr[0]).is_loopback:
        give_up("%s is not a loopback address; this check only runs against this machine" % addr[0])
    return family, addr[0], addr[1]


class SlowClient:
    """One connection and the bytes it will send, one at a time; it never sends the last one."""

    def __init__(self, family, host, port, kind, path, auth):
        self.kind = kind
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.settimeout(5)
        self.sock.connect((host, port))
        self.sock.setblocking(False)
        self.dropped = False
        if kind == "headers":
            self.script = ("POST %s HTTP/1.1\r\nHost: localhost\r\n%sContent-Type: application/json\r\nX-Slow: %s\r\n\r\n"
                           % (path, auth, "s" * 4000)).encode()
            self.sent = 0
        elif kind == "body":
            body = b'{"text": "' + b"to be or not to be " * 200 + b'"}'
            head = ("POST %s HTTP/1.1\r\nHost: localhost\r\n%sContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"
                    % (path, auth, len(body))).encode()
            self.script = head + body
            self.sock.sendall(head)  # headers at once, then the body a byte at a time
            self.sent = len(head)
        else:  # silent
            self.script = b""
            self.sent = 0

    def trickle(self):
        """Sends the next byte; notices when the server has answered or closed the connection."""
        if self.dropped:
            return
        try:
            self.sock.recv(1, socket.MSG_PEEK)
            self.dropped = True  # closed, or answered a request that was never complete
            return
        except BlockingIOError:
            pass  # nothing to read: the server is still waiting for us, as it should
        except OSError:
            self.dropped = True
            return
        if self.sent < len(self.script) - 1:
            try:
                self.sock.send(self.script[self.sent:self.sent + 1])
                self.sent += 1
            except OSError:
                self.dropped = True

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


KINDS = ["headers", "body", "silent"]


def run_slow_clients(family, host, port, count, interval, path, auth, stop, report):
    """In a child process (so its work never delays a probe): open the connections, trickle until told to stop."""
    slow = []
    try:
        try:
            for i in range(count):
                slow.append(SlowClient(family, host, port, KINDS[i % 3], path, auth))
        except OSError as e:
            report.put(("error", "opened %d of %d slow connections, then: %s" % (len(slow), count, e)))
            return
        report.put(("ready", len(slow)))
        while not stop.is_set():
            for c in slow:
                c.trickle()
            stop.wait(interval)
        report.put(("held", {k: (sum(1 for c in slow if c.kind == k and not c.dropped),
                                 sum(1 for c in slow if c.kind == k)) for k in KINDS}))
    finally:
        for c in slow:
            c.close()


def probe(host, port, method, path, headers, timeout):
    """One request on a fresh connection; returns (seconds, status) or (seconds, error text)."""
    t0 = time.perf_counter()
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        body = SCORE_BODY if method == "POST" else None
        h = dict(headers)
        if body is not None:
            h["Content-Type"] = "application/json"
        conn.request(method, path, body=body, headers=h)
        resp = conn.getresponse()
        resp.read()
        return time.perf_counter() - t0, resp.status
    except (OSError, http.client.HTTPException) as e:
        return time.perf_counter() - t0, type(e).__name__
    finally:
        conn.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--url", default="http://127.0.0.1:8080")
    ap.add_argument("--clients", type=int, default=200, help="slow connections (at most %d)" % MAX_CLIENTS)
    ap.add_argument("--seconds", type=float, default=15, help="how long they stay connected (at most %d)" % MAX_SECONDS)
    ap.add_argument("--interval", type=float, default=0.5, help="seconds between one slow client's bytes")
    ap.add_argument("--probe-every", type=float, default=0.25, help="seconds between probe rounds under load")
    ap.add_argument("--warmup", type=float, default=3, help="seconds of probing before the baseline (JIT warm-up)")
    ap.add_argument("--baseline", type=int, default=9, help="baseline probes per endpoint")
    ap.add_argument("--slack-ms", type=float, default=100, help="how much slower than the baseline a probe may be")
    ap.add_argument("--api-key-file", help="send 'Authorization: Bearer KEY' on probes (or set BALLAST_API_KEY)")
    ap.add_argument("--score-path", default="/v1/score", help="the model endpoint to probe (POST)")
    args = ap.parse_args()
    if not 1 <= args.clients <= MAX_CLIENTS:
        ap.error("--clients must be in [1, %d]" % MAX_CLIENTS)
    if not 1 <= args.seconds <= MAX_SECONDS:
        ap.error("--seconds must be in [1, %d]" % MAX_SECONDS)
    if not 0 <= args.warmup <= 60 or not 1 <= args.baseline <= 100:
        ap.error("--warmup must be in [0, 60] and --baseline in [1, 100]")
    if not 0.01 <= args.interval <= 10 or not 0.01 <= args.probe_every <= 10:
        ap.error("--interval and --probe-every must be in [0.01, 10]")
    family, host, port = loopback_target(args.url)
    key = os.environ.get("BALLAST_API_KEY")
    if args.api_key_file:
        with open(args.api_key_file, encoding="utf-8") as f:
            key = f.read().strip()
    headers = {"Authorization": "Bearer " + key} if key else {}
    endpoints = [("GET", "/health"), ("POST", args.score_path)]

    # Baseline on the idle server, after a warm-up: the JVM's first calls are many times slower than later ones.
    warm_until = time.monotonic() + args.warmup
    while time.monotonic() < warm_until:
        for method, path in endpoints:
            probe(host, port, method, path, headers, 10)
    baseline = {path: [] for _, path in endpoints}
    for _ in range(args.baseline):
        for method, path in endpoints:
            took, status = probe(host, port, method, path, headers, 10)
            if status != 200:
                give_up("baseline %s %s answered %s; is the server up (and the key right)?" % (method, path, status))
            baseline[path].append(took)

    stop = multiprocessing.Event()
    report = multiprocessing.Queue()
    child = multiprocessing.Process(target=run_slow_clients, daemon=True,
                                    args=(family, host, port, args.clients, args.interval, args.score_path,
                                          "".join("%s: %s\r\n" % kv for kv in headers.items()), stop, report))
    child.start()
    try:
        kind, value = report.get(timeout=60)
        if kind == "error":
            give_up(value)
        time.sleep(min(1.0, args.seconds / 4))  # let every slow client get going

        under_load = {path: [] for _, path in endpoints}
        failures = []
        deadline = time.monotonic() + args.seconds
        while time.monotonic() < deadline:
            for method, path in endpoints:
                took, status = probe(host, port, method, path, headers, 10)
                under_load[path].append(took)
                if status != 200:
                    failures.append("%s %s -> %s after %.0f ms" % (method, path, status, took * 1000))
            time.sleep(args.probe_every)
        stop.set()
        kind, held = report.get(timeout=60)
    finally:
        stop.set()
        child.join(timeout=10)
        if child.is_alive():
            child.terminate()

    print("slow clients: %d (%s), one byte every %.2f s each, for %.0f s"
          % (args.clients, ", ".join("%d %s" % (held[k][1], k) for k in KINDS), args.interval, args.seconds))
    print("still connected and unanswered at the end: %s" % ", ".join("%d/%d %s" % (held[k][0], held[k][1], k) for k in KINDS))
    print("machine load average (1 min) at the end: %.1f on %d cores" % (os.getloadavg()[0], os.cpu_count() or 0))
    print()
    print("%-12s %14s %8s %9s %9s %9s %12s" % ("probe", "baseline p50", "n", "p50", "p95", "max", "max - base"))
    worst_excess = 0.0
    for _, path in endpoints:
        base = statistics.median(baseline[path])
        lat = sorted(under_load[path])
        p95 = lat[min(len(lat) - 1, int(round(0.95 * (len(lat) - 1))))]
        excess = lat[-1] - base
        worst_excess = max(worst_excess, excess)
        print("%-12s %11.1f ms %8d %6.1f ms %6.1f ms %6.1f ms %+9.1f ms"
              % (path, base * 1000, len(lat), statistics.median(lat) * 1000, p95 * 1000, lat[-1] * 1000, excess * 1000))
    print()
    if failures:
        print("FAIL: %d probe(s) failed, e.g. %s" % (len(failures), failures[0]))
        return 1
    if worst_excess * 1000 > args.slack_ms:
        print("FAIL: a probe took %.0f ms more than the baseline (allowed: %.0f ms)" % (worst_excess * 1000, args.slack_ms))
        return 1
    print("ok: every probe within %.0f ms of the baseline while %d slow clients were connected" % (args.slack_ms, args.clients))
    return 0


if __name__ == "__main__":
    sys.exit(main())
