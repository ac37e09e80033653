# rollback_lib.sh: portal snapshots for the rollback and doctor tests
# (t6*.sh). Source it after lib.sh.

# snapshot OBJECT: every live record's id and non-empty values, as one
# sorted JSON line, of the properties a user can set (HubSpot's own hs_*
# properties and dates left out).
snapshot() {
    local names
    names=$(api GET "/crm/v3/properties/$1" |
        jq -r '[.results[].name | select(startswith("hs_") | not)
               | select(. != "createdate" and . != "lastmodifieddate"
                        and . != "closedate")] | join(",")')
    python3 - "$SANDBOX_URL" "$SANDBOX_TOKEN" "$1" "$names" <<'PY' | jq -S -c .
import json, sys, urllib.request
base, token, obj, names = sys.argv[1:]
skip = ("createdate", "lastmodifieddate", "closedate")
out, after = [], None
while True:
    url = f"{base}/crm/v3/objects/{obj}?limit=100&properties={names}"
    if after:
        url += f"&after={after}"
    req = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    page = json.load(urllib.request.urlopen(req))
    for r in page["results"]:
        props = {k: v for k, v in r["properties"].items()
                 if v not in (None, "") and not k.startswith("hs_")
                 and k not in skip}
        out.append([r["id"], props])
    after = page.get("paging", {}).get("next", {}).get("after")
    if not after:
        break
print(json.dumps(sorted(out)))
PY
}

# run_project NAME: `run` of $PROJECT against the sandbox, its --json
# summary in $TEST_TMP/NAME.json; passes when it finishes (exit 0 or 3).
run_project() {
    "$HSMIGRATE" run --dir "$PROJECT" --api-base "$SANDBOX_URL" --json \
        >"$TEST_TMP/$1.json" 2>"$TEST_TMP/$1.err"
    local rc=$?
    [ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] && pass "$1 finished (exit $rc)" ||
        fail "$1: exit $rc $(tail -3 "$TEST_TMP/$1.err")"
}

# save_portal NAME: snapshots of every object, in $TEST_TMP/NAME.OBJECT.
save_portal() {
    local o
    for o in contacts companies deals; do
        snapshot $o >"$TEST_TMP/$1.$o"
    done
}

# assert_portal NAME DESC: every object equals its snapshot in NAME.
assert_portal() {
    local o
    for o in contacts companies deals; do
        assert_eq "$(cat "$TEST_TMP/$1.$o")" "$(snapshot $o)" "$2: $o"
    done
}

# links OBJECT ID TO_OBJECT: a record's associations, sorted.
links() {
    api GET "/crm/v4/objects/$1/$2/associations/$3" |
        jq -c '[.results[] | [.toObjectId, ([.associationTypes[].typeId] | sort)]] | sort'
}

# first_emails CSV N: the first N distinct emails of live rows.
first_emails() {
    python3 - "$1" "$2" <<'PY'
import csv, sys
raw = open(sys.argv[1], "rb").read().decode("utf-8", "replace").lstrip("\ufeff")
seen = []
for r in csv.DictReader(raw.replace("\x00", "").splitlines(True)):
    e = r["Email"].strip().lower()
    if e and r["IsDeleted"] != "1" and "@" in e and e not in seen:
        seen.append(e)
    if len(seen) == int(sys.argv[2]):
        break
print("\n".join(seen))
PY
}
