#!/usr/bin/python3
"""Continuous-batching load check for `ballast serve` (loopback only, bounded in requests and time).

Usage:
  ./ballast train --steps 100 --out /tmp/m256 --eval-every 0        # a 2 x 256 char LSTM
  ./ballast serve --model /tmp/m256 --port 8080 &
  /usr/bin/python3 scripts/batch_load.py --url http://127.0.0.1:8080 [--clients 32] [--tokens 200] [--runs 3]

Each run has three phases, every generation streamed (NDJSON) so that each token's arrival is timed:
  1. one client generates --tokens tokens, alone, three times in a row (the baseline);
  2. --clients clients start together and each generates --tokens tokens: aggregate tokens/s, and the
     time per token (the gap between one token's arrival and the next, first token included) at p50/p99;
  3. mixed: each client sends --mixed-requests requests, --hostile-share of them hostile (bad JSON, wrong
     types, unknown fields, oversized bodies and values, bad methods and paths, bytes that are not HTTP,
     streams abandoned midway, bodies that never finish) and the rest valid (streamed generations of
     --tokens tokens, n = 2 with log-probs, OpenAI completions, scores, session create/feed/logprobs/
     generate/delete): every valid request must succeed with a complete answer, every hostile one must get
     a 4xx JSON error (or be dropped by its own client); then the server must answer /health.
Prints each run and the medians over the runs (the ratios are those of the medians); exits 1 when a valid request failed, a hostile one got
anything but a 4xx, or the server is not alive at the end. The goals (ratios to the single client:
aggregate throughput >= 6x, p99 time per token <= 8x) are reported, not enforced, because they depend on
the machine. Stdlib only.
"""
import argparse
import http.client
import json
import random
import socket
import statistics
import sys
import threading
import time
from urllib.parse import urlparse

PROMPTS = ["ROMEO:", "JULIET:\nO ", "", "First Citizen:\nBefore we proceed any further, hear me speak.\n", "KING"]


class Failure(Exception):
    pass


def stream_generate(host, port, prompt, tokens, seed, timeout=300):
    """One streamed generation; returns (token arrival gaps in seconds, wall seconds, tokens)."""
    body = json.dumps({"prompt": prompt, "max_tokens": tokens, "seed": seed, "temperature": 0.9,
                       "stream": True}).encode()
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        t0 = time.perf_counter()
        conn.request("POST", "/v1/generate", body=body, headers={"Content-Type": "application/json"})
        resp = conn.getresponse()
        if resp.status != 200:
            raise Failure(f"generate: HTTP {resp.status} {resp.read()[:200]!r}")
        gaps, last_t, last_line = [], t0, None
        while True:
            line = resp.readline()
            if not line:
                break
            now = time.perf_counter()
            last_line = line
            msg = json.loads(line)
            if msg.get("done"):
                break
            # a char model's piece is one token (no stop strings); several may arrive in one line when the
            # client falls behind, which then counts as one gap and zero gaps
            n = max(1, len(msg.get("text", "")))
            gaps.append(now - last_t)
            gaps.extend([0.0] * (n - 1))
            last_t = now
        wall = time.perf_counter() - t0
        final = json.loads(last_line) if last_line else {}
        if not final.get("done") or final.get("tokens") != tokens or final.get("stop_reason") != "length":
            raise Failure(f"generate: incomplete answer {last_line[:200] if last_line else b''!r}")
        return gaps, wall, final["tokens"]
    finally:
        conn.close()


def pct(values, p):
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(p * len(s)))]


def concurrent_clients(host, port, clients, tokens, seed0):
    """All clients start together; returns (aggregate tokens/s, all gaps, failures)."""
    barrier = threading.Barrier(clients + 1)
    gaps, failures, total = [], [], [0]
    lock = threading.Lock()

    def client(i):
        barrier.wait()
        try:
            g, _, n = stream_generate(host, port, PROMPTS[i % len(PROMPTS)], tokens, seed0 + i)
            with lock:
                gaps.extend(g)
                total[0] += n
        except Exception as e:  # any failure of a valid request counts
            with lock:
                failures.append(repr(e))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    barrier.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    return total[0] / wall, gaps, failures


# ---- hostile requests: each returns None when it got what it should (a 4xx JSON error, or nothing to get) ----

def raw(host, port, data, read=True, timeout=30):
    with socket.create_connection((host, port), timeout=timeout) as s:
        s.sendall(data)
        if not read:
            return b""
        s.shutdown(socket.SHUT_WR)
        out = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                return out
            out += chunk


def expect_4xx(host, port, method, path, body, headers=None):
    conn = http.client.HTTPConnection(host, port, timeout=30)
    try:
        h = {"Content-Type": "application/json"}
        h.update(headers or {})
        conn.request(method, path, body=body, headers=h)
        resp = conn.getresponse()
        payload = resp.read()
        if 400 <= resp.status < 500 and b'"error"' in payload:
            return None
        return f"{method} {path} {body[:60] if body else b''!r}: HTTP {resp.status} {payload[:120]!r}"
    finally:
        conn.close()


HOSTILE_BODIES = [
    ("POST", "/v1/generate", b'{"prompt": "ROMEO:"'),
    ("POST", "/v1/generate", b'{"prompt": 42}'),
    ("POST", "/v1/generate", b'{"max_tokens": 1e9}'),
    ("POST", "/v1/generate", b'{"max_tokens": 100000000}'),
    ("POST", "/v1/generate", b'{"n": 100000}'),
    ("POST", "/v1/generate", b'{"temperature": "hot"}'),
    ("POST", "/v1/generate", b'{"stop": ["a","b","c","d","e","f","g","h","i"]}'),
    ("POST", "/v1/generate", b'{"promt": "typo"}'),
    ("POST", "/v1/generate", b'\xff\xfe\x00garbage'),
    ("POST", "/v1/generate", b'[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]'),
    ("POST", "/v1/generate", b'{"prompt": "' + b"x" * 70000 + b'"}'),
    ("POST", "/v1/generate", b'{"prompt": "ROMEO", "seed": "abc"}'),
    ("POST", "/v1/score", b'{}'),
    ("POST", "/v1/score", b'{"text": ""}'),
    ("POST", "/v1/completions", b'{"model": "gpt-4", "prompt": "hi"}'),
    ("POST", "/v1/completions", b'{"model": null, "prompt": [1, 2, 3]}'),
    ("POST", "/v1/completions", b'{"prompt": "x", "logit_bias": {"1": 100}}'),
    ("POST", "/v1/sessions", b'{"prompt": {"nested": true}}'),
    ("POST", "/v1/sessions/sess_0000/feed", b'{"text": "hi"}'),
    ("POST", "/v1/sessions/../../etc/passwd/generate", b'{}'),
    ("GET", "/v1/sessions/sess_x/logprobs?top=-1", None),
    ("DELETE", "/v1/sessions", None),
    ("GET", "/v1/generate", None),
    ("PUT", "/metrics", b"{}"),
    ("POST", "/nope", b"{}"),
]


def hostile_one(host, port, rnd):
    kind = rnd.random()
    if kind < 0.70:
        method, path, body = rnd.choice(HOSTILE_BODIES)
        return expect_4xx(host, port, method, path, body)
    if kind < 0.80:
        # not HTTP at all, or a header block over the limit: a 4xx, or the connection closed
        data = rnd.choice([b"\x00\x01GARBAGE \r\n\r\n", b"GET / HTTP/9.9\r\n\r\n",
                           b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n",
                           b"POST /v1/generate HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n"])
        reply = raw(host, port, data)
        if reply and not reply.startswith(b"HTTP/1.1 4"):
            return f"raw {data[:30]!r}: {reply[:80]!r}"
        return None
    if kind < 0.90:
        # a stream abandoned after its first piece: the server must cancel it and carry on
        body = json.dumps({"prompt": "ROMEO:", "max_tokens": 2000, "stream": True}).encode()
        with socket.create_connection((host, port), timeout=30) as s:
            s.sendall(b"POST /v1/generate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                      + str(len(body)).encode() + b"\r\n\r\n" + body)
            s.recv(512)
        return None
    # a body that never finishes: declared longer than sent, then the client hangs up
    with socket.create_connection((host, port), timeout=30) as s:
        s.sendall(b"POST /v1/generate HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{\"prompt\": ")
        time.sleep(0.05)
    return None


def valid_one(host, port, rnd, tokens, gaps, lock):
    """One valid request of a random kind; raises on any wrong answer."""
    kind = rnd.random()
    if kind < 0.35:
        g, _, _ = stream_generate(host, port, rnd.choice(PROMPTS), tokens, rnd.randrange(1 << 30))
        with lock:
            gaps.extend(g)
        return
    conn = http.client.HTTPConnection(host, port, timeout=300)

    def call(method, path, body=None, want=200):
        data = json.dumps(body).encode() if body is not None else None
        conn.request(method, path, body=data, headers={"Content-Type": "application/json"} if data else {})
        resp = conn.getresponse()
        payload = resp.read()
        if resp.status != want:
            raise Failure(f"{method} {path}: HTTP {resp.status} {payload[:200]!r}")
        return json.loads(payload) if resp.getheader("Content-Type", "").startswith("application/json") else payload

    try:
        if kind < 0.55:
            r = call("POST", "/v1/generate", {"prompt": rnd.choice(PROMPTS), "max_tokens": 40, "n": 2, "logprobs": 1,
                                               "seed": rnd.randrange(1000)})
            if len(r["choices"]) != 2 or any(c["tokens"] != 40 for c in r["choices"]):
                raise Failure(f"generate n=2: {r}")
        elif kind < 0.70:
            r = call("POST", "/v1/completions", {"model": MODEL[0], "prompt": "ROMEO:", "max_tokens": 30, "n": 2})
            if len(r["choices"]) != 2 or r["usage"]["completion_tokens"] != 60:
                raise Failure(f"completions: {r}")
        elif kind < 0.85:
            r = call("POST", "/v1/score", {"text": "To be, or not to be, that is the question.", "per_token": True})
            if r["tokens"] != 42:
                raise Failure(f"score: {r}")
        else:
            sid = call("POST", "/v1/sessions", {"prompt": "ROMEO:\n"}, want=201)["id"]
            call("POST", f"/v1/sessions/{sid}/feed", {"text": "O, she doth teach the torches to burn bright!"})
            if len(call("GET", f"/v1/sessions/{sid}/logprobs?top=5")["next"]) != 5:
                raise Failure("session logprobs")
            call("POST", f"/v1/sessions/{sid}/generate", {"max_tokens": 30, "seed": 1})
            call("DELETE", f"/v1/sessions/{sid}")
    finally:
        conn.close()


MODEL = ["?"]


def mixed_clients(host, port, clients, requests, tokens, share, seed0):
    """Clients each send `requests` requests, a `share` of them hostile; returns (counts, gaps, failures)."""
    gaps, failures = [], []
    counts = {"valid": 0, "hostile": 0}
    lock = threading.Lock()

    def client(i):
        rnd = random.Random(seed0 + i)
        for _ in range(requests):
            hostile = rnd.random() < share
            try:
                if hostile:
                    problem = hostile_one(host, port, rnd)
                else:
                    valid_one(host, port, rnd, tokens, gaps, lock)
                    problem = None
            except (ConnectionResetError, BrokenPipeError) as e:
                problem = f"valid request cut: {e!r}" if not hostile else None  # a hostile one may be cut
            except Exception as e:
                problem = f"{'hostile' if hostile else 'valid'}: {e!r}"
            with lock:
                counts["hostile" if hostile else "valid"] += 1
                if problem:
                    failures.append(problem)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return counts, gaps, failures


def get_json(host, port, path):
    conn = http.client.HTTPConnection(host, port, timeout=30)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default="http://127.0.0.1:8080")
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--tokens", type=int, default=200)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--hostile-share", type=float, default=0.4)
    ap.add_argument("--mixed-requests", type=int, default=10, help="requests per client in the mixed phase")
    args = ap.parse_args()
    u = urlparse(args.url)
    host, port = u.hostname, u.port or 80
    if host not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("batch_load.py only targets loopback")
    if not (1 <= args.clients <= 256 and 1 <= args.tokens <= 2048 and 1 <= args.runs <= 10):
        sys.exit("--clients 1..256, --tokens 1..2048, --runs 1..10")

    failed = []
    status, payload = get_json(host, port, "/v1/models")
    MODEL[0] = json.loads(payload)["data"][0]["id"] if status == 200 else "?"
    # Warm up: the JVM compiles the batched kernels only after some use, and a cold server is many times
    # slower; one full round of each phase first, not counted.
    for _ in range(2):
        stream_generate(host, port, "ROMEO:", args.tokens, 1)
        concurrent_clients(host, port, args.clients, args.tokens, 1)

    rows = []
    for run in range(args.runs):
        # the single client generates three times in a row: one 200-token answer is over too soon to time well
        one_gaps, one_wall, one_n = [], 0.0, 0
        for k in range(3):
            g, w, n = stream_generate(host, port, PROMPTS[k % len(PROMPTS)], args.tokens, 1000 + 10 * run + k)
            one_gaps += g
            one_wall += w
            one_n += n
        one_tps = one_n / one_wall
        many_tps, many_gaps, fails = concurrent_clients(host, port, args.clients, args.tokens, 2000 + 100 * run)
        failed += fails

        counts, mixed_gaps, problems = mixed_clients(host, port, args.clients, args.mixed_requests, args.tokens,
                                                     args.hostile_share, 5000 + 100 * run)
        hostile_share = counts["hostile"] / max(1, counts["hostile"] + counts["valid"])
        row = {
            "one_tps": one_tps, "one_p50": pct(one_gaps, 0.5), "one_p99": pct(one_gaps, 0.99),
            "many_tps": many_tps, "many_p50": pct(many_gaps, 0.5), "many_p99": pct(many_gaps, 0.99),
            "mixed_p99": pct(mixed_gaps, 0.99), "hostile": counts["hostile"], "valid": counts["valid"],
            "hostile_share": hostile_share, "mixed_failed": len(problems), "clean_failed": len(fails),
        }
        row["tps_ratio"] = row["many_tps"] / row["one_tps"]
        row["p99_ratio"] = row["many_p99"] / row["one_p99"]
        rows.append(row)
        print(f"run {run + 1}: 1 client {one_tps:.0f} tok/s (per token p50 {row['one_p50'] * 1e3:.2f} ms, "
              f"p99 {row['one_p99'] * 1e3:.2f} ms); {args.clients} clients {many_tps:.0f} tok/s "
              f"(x{row['tps_ratio']:.1f}; per token p50 {row['many_p50'] * 1e3:.2f} ms, p99 {row['many_p99'] * 1e3:.2f} ms, "
              f"x{row['p99_ratio']:.1f}); mixed: {counts['valid']} valid + {counts['hostile']} hostile requests "
              f"({hostile_share:.0%} hostile), streamed p99/token {row['mixed_p99'] * 1e3:.2f} ms, "
              f"{len(fails) + len(problems)} failed", flush=True)
        for p in (fails + problems)[:10]:
            print("  FAIL " + p)
        failed += problems

    med = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
    # the goals compare the medians (a ratio of two noisy figures from one run is noisier still)
    med["tps_ratio"] = med["many_tps"] / med["one_tps"]
    med["p99_ratio"] = med["many_p99"] / med["one_p99"]
    status, payload = get_json(host, port, "/health")
    alive = status == 200 and json.loads(payload)["status"] == "ok"
    status, metrics = get_json(host, port, "/metrics")
    active = next((line.split()[1] for line in metrics.decode().splitlines()
                   if line.startswith("ballast_active_streams ")), "?") if status == 200 else "?"
    print(f"medians of {args.runs} runs: 1 client {med['one_tps']:.0f} tok/s, p99/token {med['one_p99'] * 1e3:.2f} ms; "
          f"{args.clients} clients {med['many_tps']:.0f} tok/s (x{med['tps_ratio']:.1f}, goal >= 6), "
          f"p99/token {med['many_p99'] * 1e3:.2f} ms (x{med['p99_ratio']:.1f}, goal <= 8); "
          f"mixed with {med['hostile_share']:.0%} hostile requests: p99/token {med['mixed_p99'] * 1e3:.2f} ms")
    print(f"failed requests (valid failing, or hostile not answered with a 4xx): {len(failed)}; server alive at the end: {alive}; active streams after: {active}")
    sys.exit(0 if alive and not failed else 1)


if __name__ == "__main__":
    main()
