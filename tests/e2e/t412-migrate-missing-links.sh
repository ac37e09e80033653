#!/usr/bin/env bash
# A link whose other end is not in the portal says why: the company was
# rejected (its errors report has the reason), or it is not among the
# export's live rows (deleted in Salesforce, or absent).
. "$(dirname "$0")/lib.sh"

EXPORT=$TEST_TMP/export
PROJECT=$TEST_TMP/project
export HUBSPOT_ACCESS_TOKEN=$SANDBOX_TOKEN

"$HSMIGRATE" generate salesforce --out "$EXPORT" --accounts 40 \
    --contacts 120 --leads 0 --opportunities 10 --users 3 --seed 412 \
    >/dev/null
# The first live account a live contact links to gets a value check
# rejects; prints its 18-character id.
rejected=$(python3 - "$EXPORT" <<'PY'
import csv, io, sys
d = sys.argv[1]
def load(name):
    raw = open(f"{d}/{name}.csv", "rb").read().decode("utf-8")
    bom = raw.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(raw.lstrip("\ufeff"), newline="")))
    return bom, rows
_, contacts = load("Contact")
ch = contacts[0]
linked = {r[ch.index("AccountId")][:15] for r in contacts[1:]
          if r[ch.index("IsDeleted")] != "1"}
bom, accounts = load("Account")
ah = accounts[0]
for r in accounts[1:]:
    if r[ah.index("IsDeleted")] != "1" and r[ah.index("Id")][:15] in linked:
        r[ah.index("NumberOfEmployees")] = "many"
        print(r[ah.index("Id")])
        break
out = io.StringIO(newline="")
csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(accounts)
open(f"{d}/Account.csv", "wb").write((("\ufeff" if bom else "") + out.getvalue()).encode("utf-8"))
PY
)
[ ${#rejected} -eq 18 ] && pass "account $rejected will be rejected" ||
    fail "no account to reject: '$rejected'"
sandbox_start || finish
"$HSMIGRATE" init --source salesforce --input "$EXPORT" --dir "$PROJECT" \
    >/dev/null
owners_optional "$PROJECT"
run_to_end run
R=$PROJECT/reports/contacts-errors.csv
grep "MISSING_LINK_TARGET" "$R" | grep -q "company $rejected was rejected (see reports/companies-errors.csv)" &&
    pass "a link to the rejected company says it was rejected" ||
    fail "no rejected link target: $(grep MISSING_LINK_TARGET "$R" | head -2)"
grep -q "^Account.csv,[0-9]*,$rejected,.*numberofemployees\|^Account.csv,[0-9]*,$rejected,.*NumberOfEmployees" \
    "$PROJECT/reports/companies-errors.csv" &&
    pass "and the companies report has the reason" ||
    fail "companies report: $(grep "$rejected" "$PROJECT/reports/companies-errors.csv")"
grep "MISSING_LINK_TARGET" "$R" | grep -q "is not among the export's live rows (absent, or deleted in Salesforce: IsDeleted = 1)" &&
    pass "a link to a deleted account says so" ||
    fail "no deleted link target: $(grep MISSING_LINK_TARGET "$R" | head -2)"

finish
