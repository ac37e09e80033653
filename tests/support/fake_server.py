#!/usr/bin/env python3
"""A scriptable HTTP server for the HTTP pool's tests (test-only).

Binds 127.0.0.1 on a free port and prints "listening on PORT" first.
Behaviour is chosen by the path, and counts are kept per path so a test
can ask how many attempts a request took:

  /ok                        200, echoes method, body and auth presence
  /status/CODE               always CODE
  /fail/N/CODE/NAME[/RA]     the first N requests get CODE (with
                             Retry-After RA seconds if given), then 200
                             with gap_ms since the first failure
  /r429/N/POLICY/RETRY/NAME  the first N get 429 with policyName POLICY
                             (or none when "-") and Retry-After RETRY
                             seconds (none when "-"), then 200
  /drop/N/NAME               the first N connections close unanswered
  /headers/MAX/REMAIN/DAILYREMAIN
                             200 with X-HubSpot-RateLimit-* headers
  /big/BYTES                 a 200 body of BYTES bytes
  /window/NAME               a rolling window of --window-max per
                             --window-ms, 429 TEN_SECONDLY_ROLLING over it,
                             with headers; counts 429s
  /slow/MS                   sleeps MS before answering 200
  /stuck/...                 a page of one result whose next cursor is
                             always "again": a list that never ends
  /_count/PATH...            {"count": attempts seen for /PATH...,
                              "n429": 429s sent for it}
  /_last/PATH...             the last request body seen for /PATH...

A few HubSpot-shaped routes let the client's plumbing (URLs, request
bodies, paging) be checked; the sandbox portal is the real oracle:

  POST /crm/v3/objects/T/batch/upsert   results in reverse order; an input
                             whose properties hold the value "BAD" gets a
                             207 error naming its objectWriteTraceId
  POST /crm/v3/objects/T/batch/read     keys starting "missing" are misses
  POST /crm/v4/associations/F/T/batch/create   201, pairs echoed reversed
  GET  /crm/v3/owners        two pages of active owners, one archived
  POST /crm/v3/properties/T  409 when the name is "exists", else 201
"""
import argparse
import collections
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
LAST = {}
FIRST = {}
COUNTS = collections.Counter()
N429 = collections.Counter()
WINDOW = collections.deque()
ARGS = None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def reply(self, code, body, headers=None):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n).decode() if n else ""

    def handle_any(self):
        body = self.read_body()
        parts = self.path.split("?")[0].strip("/").split("/")
        if parts[0] == "_last":
            key = "/" + "/".join(parts[1:])
            with LOCK:
                return self.reply(200, LAST.get(key, ""))
        if parts[0] == "_count":
            key = "/" + "/".join(parts[1:])
            with LOCK:
                out = {"count": COUNTS[key], "n429": N429[key]}
            return self.reply(200, json.dumps(out))
        with LOCK:
            COUNTS[self.path] += 1
            seen = COUNTS[self.path]
            LAST[self.path.split("?")[0]] = body
        handler = getattr(self, "do_" + parts[0].lower() + "_", None)
        if handler is None:
            return self.reply(404, '{"status":"error","message":"no route"}')
        return handler(parts, seen, body)

    def do_ok_(self, parts, seen, body):
        auth = self.headers.get("Authorization") or ""
        self.reply(200, json.dumps({"method": self.command, "body": body,
                                    "auth": auth,
                                    "ctype": self.headers.get(
                                        "Content-Type") or ""}))

    def do_status_(self, parts, seen, body):
        code = int(parts[1])
        self.reply(code, json.dumps({"status": "error", "code": code}))

    def do_fail_(self, parts, seen, body):
        n, code = int(parts[1]), int(parts[2])
        if seen <= n:
            hdrs = {}
            if len(parts) > 4:
                hdrs["Retry-After"] = parts[4]
            with LOCK:
                FIRST.setdefault(self.path, time.monotonic())
            return self.reply(code, '{"status":"error","message":"boom"}',
                              hdrs)
        with LOCK:
            gap = time.monotonic() - FIRST.get(self.path, time.monotonic())
        self.reply(200, json.dumps({"attempt": seen,
                                    "gap_ms": int(gap * 1000)}))

    def do_r429_(self, parts, seen, body):
        n, policy, retry = int(parts[1]), parts[2], parts[3]
        if seen <= n:
            err = {"status": "error", "errorType": "RATE_LIMIT",
                   "message": "You have reached your limit."}
            if policy != "-":
                err["policyName"] = policy
            hdrs = {} if retry == "-" else {"Retry-After": retry}
            with LOCK:
                N429[self.path] += 1
            return self.reply(429, json.dumps(err), hdrs)
        self.reply(200, json.dumps({"attempt": seen}))

    def do_drop_(self, parts, seen, body):
        if seen <= int(parts[1]):
            self.close_connection = True
            return
        self.reply(200, json.dumps({"attempt": seen}))

    def do_headers_(self, parts, seen, body):
        self.reply(200, "{}", {
            "X-HubSpot-RateLimit-Max": parts[1],
            "X-HubSpot-RateLimit-Remaining": parts[2],
            "X-HubSpot-RateLimit-Interval-Milliseconds": "10000",
            "X-HubSpot-RateLimit-Daily": "1000",
            "X-HubSpot-RateLimit-Daily-Remaining": parts[3]})

    def do_big_(self, parts, seen, body):
        self.reply(200, b"x" * int(parts[1]))

    def do_slow_(self, parts, seen, body):
        time.sleep(int(parts[1]) / 1000.0)
        self.reply(200, "{}")

    def do_window_(self, parts, seen, body):
        now = time.monotonic() * 1000.0
        with LOCK:
            while WINDOW and WINDOW[0] <= now - ARGS.window_ms:
                WINDOW.popleft()
            over = len(WINDOW) >= ARGS.window_max
            if not over:
                WINDOW.append(now)
            else:
                N429[self.path] += 1
            remaining = max(0, ARGS.window_max - len(WINDOW))
        hdrs = {"X-HubSpot-RateLimit-Max": str(ARGS.window_max),
                "X-HubSpot-RateLimit-Remaining": str(remaining),
                "X-HubSpot-RateLimit-Interval-Milliseconds":
                    str(ARGS.window_ms)}
        if over:
            err = {"status": "error", "errorType": "RATE_LIMIT",
                   "policyName": "TEN_SECONDLY_ROLLING",
                   "message": "You have reached your ten_secondly_rolling "
                              "limit."}
            return self.reply(429, json.dumps(err), hdrs)
        time.sleep(ARGS.latency_ms / 1000.0)
        self.reply(200, "{}", hdrs)

    def do_stuck_(self, parts, seen, body):
        self.reply(200, json.dumps({
            "results": [{"id": str(seen), "email": "x@example.com"}],
            "paging": {"next": {"after": "again"}}}))

    def do_crm_(self, parts, seen, body):
        route = "/".join(parts[1:])
        if parts[1:3] == ["v3", "owners"]:
            return self.owners()
        if parts[1:3] == ["v3", "properties"]:
            name = json.loads(body).get("name")
            if name == "exists":
                return self.reply(409, json.dumps({
                    "status": "error", "category": "CONFLICT",
                    "message": "Property already exists"}))
            return self.reply(201, body)
        if route.endswith("batch/upsert"):
            return self.upsert(json.loads(body)["inputs"])
        if route.endswith("batch/read"):
            return self.read(json.loads(body))
        if parts[1] == "v4" and route.endswith("batch/create"):
            out = [{"fromObjectId": int(i["from"]["id"]),
                    "toObjectId": int(i["to"]["id"]), "labels": []}
                   for i in json.loads(body)["inputs"]]
            return self.reply(201, json.dumps(
                {"status": "COMPLETE", "results": out[::-1]}))
        self.reply(404, '{"status":"error","message":"no route"}')

    def upsert(self, inputs):
        results, errors = [], []
        for n, i in enumerate(inputs):
            props = dict(i["properties"])
            if "BAD" in props.values():
                errors.append({
                    "status": "error", "category": "VALIDATION_ERROR",
                    "message": "Property values were not valid: " +
                    json.dumps([{"isValid": False, "error": "INVALID_OPTION",
                                 "name": [k for k, v in props.items()
                                          if v == "BAD"][0],
                                 "message": "BAD was not one of the "
                                            "allowed options"}]),
                    "context": {"objectWriteTraceId":
                                [i["objectWriteTraceId"]]}})
                continue
            results.append({"id": str(1000 + n), "new": n % 2 == 0,
                            "properties": props})
        out = {"status": "COMPLETE", "results": results[::-1]}
        if errors:
            out["errors"] = errors
            out["numErrors"] = len(errors)
        self.reply(207 if errors else 200, json.dumps(out))

    def read(self, req):
        prop = req.get("idProperty")
        results, missing = [], []
        for n, i in enumerate(req["inputs"]):
            if i["id"].startswith("missing"):
                missing.append(i["id"])
                continue
            props = {p: None for p in req.get("properties", [])}
            if prop:
                props[prop] = i["id"].lower()
            results.append({"id": str(500 + n), "properties": props})
        out = {"status": "COMPLETE", "results": results[::-1]}
        if missing:
            out["errors"] = [{"status": "error",
                              "category": "OBJECT_NOT_FOUND",
                              "message": "Could not get some CONTACT objects",
                              "context": {"ids": missing}}]
        self.reply(207 if missing else 200, json.dumps(out))

    def owners(self):
        q = self.path.split("?", 1)[1] if "?" in self.path else ""
        args = dict(kv.split("=", 1) for kv in q.split("&") if "=" in kv)
        if args.get("archived") == "true":
            return self.reply(200, json.dumps({"results": [
                {"id": "3", "email": "old@example.com", "archived": True}]}))
        if args.get("after") == "2":
            return self.reply(200, json.dumps({"results": [
                {"id": "2", "email": "b@example.com", "archived": False}]}))
        self.reply(200, json.dumps({
            "results": [{"id": "1", "email": "a@example.com",
                         "archived": False}],
            "paging": {"next": {"after": "2"}}}))

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--window-max", type=int, default=20)
    ap.add_argument("--window-ms", type=int, default=1000)
    ap.add_argument("--latency-ms", type=int, default=20)
    ARGS = ap.parse_args()
    # The default backlog of 5 makes extra connections wait for a SYN
    # retransmit (a second), which would bunch arrivals up.
    ThreadingHTTPServer.request_queue_size = 64
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    print("listening on %d" % srv.server_address[1], flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
