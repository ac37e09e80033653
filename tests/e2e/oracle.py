#!/usr/bin/env python3
"""Independent oracle for migration tests.

Reads a Salesforce export with Python's own csv module (not our reader),
computes what the portal must hold after a migration with the default
mapping, reads the portal back over HTTP, and prints every difference.
Exit 0 when the portal matches, 1 otherwise. Usage:

    oracle.py EXPORT_DIR BASE_URL TOKEN [--keep-converted] [--owners SEED]

With --owners, SEED is the sandbox seed whose owners are the export's
users in User.csv order; every company, deal and unmerged contact must
then carry the owner id of its row's OwnerId.
"""
import csv
import io
import json
import time
import sys
import urllib.error
import urllib.request

ALPHA = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"


def sfid18(v):
    v = (v or "").strip()
    if not v or v.startswith("000000000000000"):
        return ""
    if len(v) == 18:
        v = v[:15]
    if len(v) != 15:
        return v
    suffix = ""
    for chunk in range(3):
        bits = 0
        for j, ch in enumerate(v[chunk * 5:chunk * 5 + 5]):
            if "A" <= ch <= "Z":
                bits |= 1 << j
        suffix += ALPHA[bits]
    return v + suffix


def read_rows(path):
    raw = open(path, "rb").read()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    text = text.replace("\x00", "")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    return [r for r in rows if r.get("IsDeleted", "0") != "1"]


def load(export, name):
    try:
        return read_rows(f"{export}/{name}.csv")
    except FileNotFoundError:
        return []


def valid_email(e):
    if not e or " " in e or e.count("@") != 1:
        return False
    local, dom = e.split("@")
    return bool(local) and "." in dom and not dom.startswith(".") \
        and not dom.endswith(".") and ".." not in dom


class Portal:
    def __init__(self, base, token):
        self.base = base.rstrip("/")
        self.token = token

    def get(self, path):
        req = urllib.request.Request(self.base + path, headers={
            "Authorization": "Bearer " + self.token})
        for attempt in range(20):
            try:
                with urllib.request.urlopen(req) as r:
                    return json.load(r)
            except urllib.error.HTTPError as e:
                # A portal with a tiny window may still be full of the
                # run's requests: wait as it says, like any client.
                if e.code != 429 or attempt == 19:
                    raise
                time.sleep(float(e.headers.get("Retry-After") or 1))

    def all(self, obj, props, assoc):
        out, after = [], None
        while True:
            q = f"/crm/v3/objects/{obj}?limit=100&properties={props}"
            if assoc:
                q += "&associations=" + assoc
            if after:
                q += "&after=" + after
            page = self.get(q)
            out += page["results"]
            nxt = page.get("paging", {}).get("next")
            if not nxt:
                return out
            after = nxt["after"]


def assoc_ids(rec, to):
    res = rec.get("associations", {}).get(to, {}).get("results", [])
    return {a["id"] for a in res}


def main():
    export, base, token = sys.argv[1:4]
    keep_converted = "--keep-converted" in sys.argv
    owner_of = None
    if "--owners" in sys.argv:
        seed = json.load(open(sys.argv[sys.argv.index("--owners") + 1]))
        users = load(export, "User")
        owner_of = {sfid18(u["Id"]): o["id"]
                    for u, o in zip(users, seed["owners"])}
    problems = []
    portal = Portal(base, token)

    accounts = load(export, "Account")
    contacts = load(export, "Contact")
    leads = load(export, "Lead")
    opps = load(export, "Opportunity")
    ocrs = load(export, "OpportunityContactRole")

    # Contacts: Contact.csv first, then unconverted leads; the first row
    # with an email keeps it, later ones fold into it.
    primary_of, by_email, people, row_of, folded = {}, {}, [], {}, set()
    for r in contacts + [l for l in leads
                         if keep_converted or l.get("IsConverted") != "1"]:
        sid = sfid18(r["Id"])
        email = (r.get("Email") or "").strip().lower()
        if email and not valid_email(email):
            primary_of[sid] = None  # rejected
            continue
        if email and email in by_email:
            primary_of[sid] = by_email[email]
            folded.add(by_email[email])
            continue
        if email:
            by_email[email] = sid
        primary_of[sid] = sid
        row_of[sid] = r
        people.append((sid, email))

    comp = portal.all("companies", "salesforce_id,name,hubspot_owner_id", "")
    cont = portal.all("contacts", "salesforce_id,email,hubspot_owner_id",
                      "companies")
    deal = portal.all("deals", "salesforce_id,dealname,amount,dealstage,"
                      "pipeline,hubspot_owner_id", "companies,contacts")

    def index(recs, what):
        idx = {}
        for rec in recs:
            sid = rec["properties"].get("salesforce_id")
            if not sid:
                continue
            if sid in idx:
                problems.append(f"{what}: salesforce_id {sid} on two records")
            idx[sid] = rec
        return idx

    ci, pi, di = index(comp, "companies"), index(cont, "contacts"), \
        index(deal, "deals")

    want_c = {sfid18(a["Id"]) for a in accounts}
    if set(ci) != want_c:
        problems.append(f"companies: missing {sorted(want_c - set(ci))[:5]}"
                        f" extra {sorted(set(ci) - want_c)[:5]}")
    want_p = {sid for sid, _ in people}
    if set(pi) != want_p:
        problems.append(f"contacts: missing {sorted(want_p - set(pi))[:5]}"
                        f" extra {sorted(set(pi) - want_p)[:5]}")
    emails = [r["properties"].get("email") for r in cont
              if r["properties"].get("email")]
    if len(emails) != len(set(emails)):
        problems.append("contacts: duplicate emails in the portal")
    want_d = {sfid18(o["Id"]) for o in opps}
    if set(di) != want_d:
        problems.append(f"deals: missing {sorted(want_d - set(di))[:5]}"
                        f" extra {sorted(set(di) - want_d)[:5]}")

    owners_checked = 0
    if owner_of is not None:
        expect = [(ci, a) for a in accounts] + [(di, o) for o in opps] + \
            [(pi, row_of[sid]) for sid, _ in people if sid not in folded]
        for idx, row in expect:
            rec = idx.get(sfid18(row["Id"]))
            if rec is None:
                continue
            want = owner_of.get(sfid18(row.get("OwnerId")))
            got = rec["properties"].get("hubspot_owner_id") or None
            owners_checked += 1
            if got != want:
                problems.append(f"{row['Id']}: owner {got}, expected {want}")

    links = {"contact_company": 0, "deal_company": 0, "deal_contact": 0}
    for r in contacts:
        p = primary_of.get(sfid18(r["Id"]))
        acc = sfid18(r.get("AccountId"))
        if p and acc in ci and p in pi:
            links["contact_company"] += 1
            if ci[acc]["id"] not in assoc_ids(pi[p], "companies"):
                problems.append(f"contact {p} not linked to company {acc}")
    for o in opps:
        d = di.get(sfid18(o["Id"]))
        acc = sfid18(o.get("AccountId"))
        if d and acc in ci:
            links["deal_company"] += 1
            if ci[acc]["id"] not in assoc_ids(d, "companies"):
                problems.append(f"deal {o['Id']} not linked to company {acc}")
    pairs = [(o["Id"], o.get("ContactId")) for o in opps] + \
        [(r["OpportunityId"], r.get("ContactId")) for r in ocrs]
    for oid, cid in pairs:
        d = di.get(sfid18(oid))
        p = primary_of.get(sfid18(cid))
        if d and p and p in pi:
            links["deal_contact"] += 1
            if pi[p]["id"] not in assoc_ids(d, "contacts"):
                problems.append(f"deal {oid} not linked to contact {p}")

    print(json.dumps({"companies": len(ci), "contacts": len(pi),
                      "deals": len(di), "links_checked": links,
                      "owners_checked": owners_checked,
                      "problems": len(problems)}))
    for p in problems[:30]:
        print("oracle: " + p, file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
