#!/usr/bin/env bash
# Contact rows folded into one contact (a shared email) with different
# accounts, whose links fall into different association batches sent
# concurrently: the contact gets one primary company, the one of its first
# row in the file, whichever batch HubSpot answers first; the others are
# linked unlabeled. A run stopped part-way and resumed gives the same.
. "$(dirname "$0")/lib.sh"

EXPORT=$TEST_TMP/export
PROJECT=$TEST_TMP/project
L=$PROJECT/ledger.db
export HUBSPOT_ACCESS_TOKEN=$SANDBOX_TOKEN

# 1,500 contacts: more than one batch of 1,000 links, with shared emails
# on both sides of the cut.
"$HSMIGRATE" generate salesforce --out "$EXPORT" --accounts 300 \
    --contacts 1500 --leads 0 --opportunities 10 --users 3 --seed 411 \
    >/dev/null
sandbox_start --latency-ms 20 --shuffle-seed 4 || finish
"$HSMIGRATE" init --source salesforce --input "$EXPORT" --dir "$PROJECT" \
    >/dev/null
owners_optional "$PROJECT"

# Fold the file's last live contact into its first: the last row takes
# the first one's email, keeping its own account. Prints "email
# first-account last-account" (18-character ids) to check against.
python3 - "$EXPORT" >"$TEST_TMP/folded" <<'PY'
import csv, io, sys
path = f"{sys.argv[1]}/Contact.csv"
raw = open(path, "rb").read().decode("utf-8")
bom = raw.startswith("\ufeff")
reader = csv.reader(io.StringIO(raw.lstrip("\ufeff"), newline=""))
head = next(reader)
rows = list(reader)
col = {n: i for i, n in enumerate(head)}
araw = open(f"{sys.argv[1]}/Account.csv", "rb").read().decode("utf-8")
accounts = {a["Id"][:15]: a["Id"] for a in csv.DictReader(io.StringIO(araw.lstrip("\ufeff"), newline=""))
            if a["IsDeleted"] != "1"}
def ok(r):
    e = r[col["Email"]].strip().lower()
    return (r[col["IsDeleted"]] != "1" and e and " " not in e and e.count("@") == 1
            and r[col["AccountId"]][:15] in accounts)
emails = [r[col["Email"]].strip().lower() for r in rows]
first = next(r for r in rows if ok(r) and emails.count(r[col["Email"]].strip().lower()) == 1)
last = next(r for r in reversed(rows) if ok(r) and emails.count(r[col["Email"]].strip().lower()) == 1
            and r[col["AccountId"]][:15] != first[col["AccountId"]][:15])
last[col["Email"]] = first[col["Email"]]
out = io.StringIO(newline="")
w = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
w.writerow(head)
w.writerows(rows)
open(path, "wb").write((("\ufeff" if bom else "") + out.getvalue()).encode("utf-8"))
print(first[col["Email"]].strip().lower(), accounts[first[col["AccountId"]][:15]],
      accounts[last[col["AccountId"]][:15]], rows.index(last) - rows.index(first))
PY
read -r _ _ _ apart <"$TEST_TMP/folded"
[ "${apart:-0}" -gt 1000 ] && pass "two rows $apart apart share an email" ||
    fail "no rows far apart: $(cat "$TEST_TMP/folded")"

check_primaries() { # DESC
    assert_eq "" "$(sqlite3 "$L" "SELECT from_id FROM associations WHERE
        from_object = 'contacts' AND type_id = 1 GROUP BY from_id
        HAVING count(*) > 1 LIMIT 3")" "$1: no contact has two primary links"
    local bad=0 email first rest id got
    while read -r email first _; do
        id=$(sqlite3 "$L" "SELECT hubspot_id FROM records WHERE
            object = 'contacts' AND source_id = (SELECT source_id FROM
            emails WHERE email = '$email')")
        got=$(api GET "/crm/v4/objects/contacts/$id/associations/companies" |
            jq -r '[.results[] | select([.associationTypes[].typeId] |
                index(1)) | .toObjectId | tostring] | join(" ")')
        want=$(sqlite3 "$L" "SELECT hubspot_id FROM records WHERE
            object = 'companies' AND source_id = '$first'")
        [ "$got" = "$want" ] || bad=$((bad + 1))
    done <"$TEST_TMP/folded"
    assert_eq 0 "$bad" "$1: each folded contact's primary is its first row's company"
}

run_to_end run
check_primaries "a run"

# Again from an empty portal, stopped part-way by the daily floor.
sandbox_stop
rm -f "$L"
sandbox_start --latency-ms 20 --shuffle-seed 5 --daily-limit 40 \
    --data "$TEST_TMP/portal2" || finish
sed -i 's/daily_quota_floor: "[0-9]*"/daily_quota_floor: "5"/' \
    "$PROJECT/hsmigrate.yaml"
"$HSMIGRATE" run --allow-rejects -q --dir "$PROJECT" --api-base "$SANDBOX_URL" \
    >/dev/null 2>&1
assert_eq 5 "$?" "the run stops at the daily floor"
sandbox_stop
sandbox_start --latency-ms 20 --shuffle-seed 6 --data "$TEST_TMP/portal2" ||
    finish
run_to_end resumed
check_primaries "a stopped and resumed run"

finish
