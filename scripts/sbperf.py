#!/usr/bin/env python3
"""sbperf.py: time the sandbox's hot endpoints against a filled portal.

Starts `hsmigrate sandbox --data DIR -vv` with the rate limits lifted, fills
it with companies (upserted by a unique custom property) and contacts
(upserted by email), then times, request by request:

  upsert   batch upsert of 100 existing companies by the unique property
  read     batch read of 100 companies by that property
  assoc    v4 association batch create of 1,000 contact-company pairs

For each it prints the client's wall ms per request and the ms the request
held the store lock, summed from the sandbox's "store held" lines at -vv
(requests go one at a time, so every line belongs to the request in
flight). Usage: scripts/sbperf.py [--records N] [--rounds N] [--bin PATH]
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
import urllib.request

HELD = re.compile(rb"store held ([0-9.]+) ms")


class Sandbox:
    def __init__(self, binary, workdir):
        self.log_path = os.path.join(workdir, "sandbox.log")
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [binary, "sandbox", "--port", "0", "--token", "t", "--data",
             os.path.join(workdir, "portal"), "--tier", "enterprise",
             "--rate-window-max", "unlimited", "--daily-limit", "unlimited",
             "-vv"],
            stdout=subprocess.PIPE, stderr=self.log)
        line = self.proc.stdout.readline().decode().strip()
        if not line.startswith("listening on "):
            raise SystemExit("sbperf: sandbox did not start: " + line)
        self.base = line[len("listening on "):]
        self.reader = open(self.log_path, "rb")

    def held_ms(self):
        """Lock time logged since the last call."""
        return sum(float(m) for m in HELD.findall(self.reader.read()))

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(
            self.base + path, data=data, method=method,
            headers={"Authorization": "Bearer t",
                     "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def stop(self):
        self.proc.terminate()
        self.proc.wait()
        self.log.close()
        self.reader.close()


def timed(sb, method, path, body, want):
    sb.held_ms()
    t0 = time.monotonic()
    status, text = sb.call(method, path, body)
    wall = (time.monotonic() - t0) * 1000
    time.sleep(0.02)  # let the response's request-log line land
    if status not in want:
        raise SystemExit("sbperf: %s %s answered %d: %s" %
                         (method, path, status, text[:300]))
    return wall, sb.held_ms()


def companies(lo, hi, tag):
    return [{"id": "C%07d" % i, "idProperty": "sbperf_key",
             "properties": {"name": "Company %d %s" % (i, tag),
                            "domain": "c%d.example.com" % i}}
            for i in range(lo, hi)]


def contacts(lo, hi):
    return [{"id": "p%d@example.com" % i, "idProperty": "email",
             "properties": {"firstname": "P%d" % i, "lastname": "L"}}
            for i in range(lo, hi)]


def fill(sb, n):
    status, text = sb.call("POST", "/crm/v3/properties/companies", {
        "name": "sbperf_key", "label": "sbperf key", "type": "string",
        "fieldType": "text", "groupName": "companyinformation",
        "hasUniqueValue": True})
    if status not in (201, 409):
        raise SystemExit("sbperf: property create: %d %s" % (status, text))
    cids, pids = {}, {}
    for lo in range(0, n, 100):
        hi = min(n, lo + 100)
        for kind, inputs, ids in (
                ("companies", companies(lo, hi, "a"), cids),
                ("contacts", contacts(lo, hi), pids)):
            status, text = sb.call("POST", "/crm/v3/objects/%s/batch/upsert"
                                   % kind, {"inputs": inputs})
            if status != 200:
                raise SystemExit("sbperf: fill: %d %s" % (status, text[:300]))
            for r in json.loads(text)["results"]:
                key = r["properties"].get("sbperf_key") or \
                    r["properties"].get("email")
                ids[key] = r["id"]
    return cids, pids


def report(name, samples):
    walls = [w for w, _ in samples]
    helds = [h for _, h in samples]
    print("%-7s n=%-3d wall ms median %7.1f p90 %7.1f | store held ms"
          " median %7.1f p90 %7.1f" %
          (name, len(samples), statistics.median(walls),
           sorted(walls)[int(len(walls) * 0.9)], statistics.median(helds),
           sorted(helds)[int(len(helds) * 0.9)]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=20000)
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--bin", default="build/hsmigrate")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="sbperf.")
    sb = Sandbox(args.bin, work)
    try:
        t0 = time.monotonic()
        cids, pids = fill(sb, args.records)
        print("filled %d companies and %d contacts in %.1f s" %
              (len(cids), len(pids), time.monotonic() - t0))
        up, rd, asc = [], [], []
        n = args.records
        for r in range(args.rounds):
            lo = (r * 997) % (n - 100)
            up.append(timed(sb, "POST", "/crm/v3/objects/companies/batch/"
                            "upsert", {"inputs": companies(lo, lo + 100,
                                                           "b%d" % r)},
                            (200,)))
            rd.append(timed(sb, "POST", "/crm/v3/objects/companies/batch/read",
                            {"idProperty": "sbperf_key",
                             "properties": ["name", "domain"],
                             "inputs": [{"id": "C%07d" % i}
                                        for i in range(lo, lo + 100)]},
                            (200,)))
            plo = (r * 1000) % (n - 1000)
            pairs = [{"from": {"id": pids["p%d@example.com" % i]},
                      "to": {"id": cids["C%07d" % ((i * 7) % n)]},
                      "types": [{"associationCategory": "HUBSPOT_DEFINED",
                                 "associationTypeId": 279}]}
                     for i in range(plo, plo + 1000)]
            asc.append(timed(sb, "POST", "/crm/v4/associations/contacts/"
                             "companies/batch/create", {"inputs": pairs},
                             (201,)))
        report("upsert", up)
        report("read", rd)
        report("assoc", asc)
    finally:
        sb.stop()
        if args.keep:
            print("kept", work)
        else:
            shutil.rmtree(work)


if __name__ == "__main__":
    main()
