#!/usr/bin/env bash
# Several runs change the same values: a seeded contact and a contact the
# first run created are changed again by a second run over an edited
# export. Rolling back run 2 gives run 1's values (and archives nothing);
# rolling back run 1 then gives the seeded portal. Two more runs, then
# --all: the runs are undone newest first and the seeded portal is back.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rollback_lib.sh"

EXPORT=$TEST_TMP/export
PROJECT=$TEST_TMP/project
L=$PROJECT/ledger.db
export HUBSPOT_ACCESS_TOKEN=$SANDBOX_TOKEN

"$HSMIGRATE" generate salesforce --out "$EXPORT" --accounts 5 \
    --contacts 20 --leads 0 --opportunities 4 --users 2 --seed 67 >/dev/null
mapfile -t picked < <(first_emails "$EXPORT/Contact.csv" 2)
upper=$(printf '%s' "${picked[0]}" | tr a-z A-Z)
cat >"$TEST_TMP/seed.json" <<JSON
{"records": {
  "contacts": [
    {"id": "9001", "properties": {"email": "$upper", "firstname": "Seeded",
      "jobtitle": "Seed title"}}],
  "companies": [
    {"id": "8001", "properties": {"name": "Seeded Co", "domain": "seeded.example"}}]
}}
JSON
sandbox_start --seed-file "$TEST_TMP/seed.json" || finish
save_portal seeded
"$HSMIGRATE" init --source salesforce --input "$EXPORT" --dir "$PROJECT" \
    >/dev/null
owners_optional "$PROJECT"

# rename EMAIL NAME: sets FirstName on the export's row with that email.
rename() {
    python3 - "$EXPORT/Contact.csv" "$1" "$2" <<'PY'
import re, sys
path, email, name = sys.argv[1], sys.argv[2].encode(), sys.argv[3].encode()
data = open(path, "rb").read()
field = rb'"(?:[^"]|"")*"'
for m in re.finditer(rb'(?m)^(?:' + field + rb',){5}(' + field + rb')[^\n]*', data):
    if b'"' + email + b'"' in m.group(0).lower():
        s, e = m.span(1)
        data = data[:s] + b'"' + name + b'"' + data[e:]
        open(path, "wb").write(data)
        sys.exit(0)
sys.exit("no row with " + sys.argv[2])
PY
}
first() { # first ID: a contact's firstname
    api GET "/crm/v3/objects/contacts/$1?properties=firstname" | jq -r .properties.firstname
}
rolled() { # rolled RUN: how status --json says the run was rolled back
    "$HSMIGRATE" status --dir "$PROJECT" --json |
        jq -c --argjson r "$1" '.runs[] | select(.id == $r) | .rolled_back |
            if . == null then null else [.state, .left, (.rollbacks[] |
            [.id, .object, .status, .archived, .restored, .left_alone,
             (.started_at | type), (.finished_at | type)])] end'
}
rollback() { # rollback NAME ARGS...: a confirmed rollback, its summary in NAME.json
    local name=$1
    shift
    "$HSMIGRATE" rollback --dir "$PROJECT" --api-base "$SANDBOX_URL" --yes \
        --json "$@" >"$TEST_TMP/$name.json" 2>"$TEST_TMP/$name.err"
}

run_project run1
run1=$(jq .run_id "$TEST_TMP/run1.json")
v1=$(first 9001)
[ "$v1" != Seeded ] && pass "run 1 changed the seeded contact ($v1)" ||
    fail "run 1 left the seeded contact's firstname"
api GET "/crm/v3/objects/contacts/${picked[1]}?idProperty=email" >/dev/null
made=$(jq -r .id "$TEST_TMP/body")
c1=$(jq -r .properties.firstname "$TEST_TMP/body")
assert_eq 1 "$(sqlite3 "$L" "SELECT count(*) FROM records WHERE
    hubspot_id = '$made' AND state = 1")" "run 1 created contact $made"
save_portal after1

rename "${picked[0]}" Second
rename "${picked[1]}" Renamed
run_project run2
run2=$(jq .run_id "$TEST_TMP/run2.json")
assert_eq "2 0" "$(jq -r '"\(.objects.contacts.updated) \(.objects.contacts.created)"' \
    "$TEST_TMP/run2.json")" "run 2 updates the two edited rows and creates nothing"
assert_eq "Second Renamed" "$(first 9001) $(first "$made")" "run 2 wrote the new names"
assert_eq "Seeded>$v1 $v1>Second" "$(sqlite3 "$L" "SELECT group_concat(old_value
    || '>' || new_value, ' ') FROM (SELECT * FROM preimages WHERE
    hubspot_id = '9001' AND property = 'firstname' ORDER BY run_id)")" \
    "the ledger keeps each run's pre-image of the same property"
assert_eq "$run1" "$(sqlite3 "$L" "SELECT run_id FROM records WHERE
    hubspot_id = '$made'")" "the created contact still belongs to run 1"

rollback rb2 --run "$run2"
assert_eq 0 "$?" "rollback of run 2 finishes"
assert_eq "0 2" "$(jq -r '"\(.objects.contacts.archived) \(.objects.contacts.restored)"' \
    "$TEST_TMP/rb2.json")" "it archives nothing and restores two values"
assert_eq "$v1 $c1" "$(first 9001) $(first "$made")" \
    "rollback of run 2 gives run 1's values"
assert_portal after1 "the portal equals the state after run 1"
sid_of() { # sid_of HUBSPOT_ID: the contact's source id in the ledger
    sqlite3 "$L" "SELECT source_id FROM records WHERE object = 'contacts'
        AND hubspot_id = '$1' AND merged_into IS NULL"
}
assert_eq "$(printf '%s\n' "restore $made $(sid_of "$made")" \
    "restore 9001 $(sid_of 9001)" | sort)" \
    "$(python3 - "$PROJECT/reports/rollback.csv" <<'PY' | sort
import csv, sys
for r in csv.DictReader(open(sys.argv[1], newline="")):
    print(r["action"], r["hubspot_id"], r["source_id"])
PY
)" "rollback.csv names the source id of each restored record"
rb2=$(jq .rollback_id "$TEST_TMP/rb2.json")
assert_eq "[\"complete\",0,[$rb2,null,\"done\",0,2,0,\"string\",\"string\"]]" \
    "$(rolled "$run2")" "status: run 2 rolled back completely, when and by which rollback"
assert_eq null "$(rolled "$run1")" "status: run 1 not rolled back"
"$HSMIGRATE" status --dir "$PROJECT" >"$TEST_TMP/status.txt"
grep -A2 "^  #$run2 " "$TEST_TMP/status.txt" | grep -q "rolled back: complete" &&
    grep -A2 "^  #$run2 " "$TEST_TMP/status.txt" |
    grep -q "by #$rb2 (all objects) at .*, done: 0 archived, 2 values restored" &&
    pass "status shows the rollback under run 2" ||
    fail "status: $(cat "$TEST_TMP/status.txt")"

# An id the ledger holds no run under, or a rollback's id, is refused:
# a mistyped id must not end as a rollback that found nothing to undo.
rollback nosuch --run 999
assert_eq 2 "$?" "rollback --run of an unknown id is a usage error"
grep -q "error: --run 999: the ledger holds no run with that id" \
    "$TEST_TMP/nosuch.err" && pass "the unknown id is named" ||
    fail "unknown id: $(cat "$TEST_TMP/nosuch.err")"
rollback ofrb --run "$rb2"
assert_eq 2 "$?" "rollback --run of a rollback's id is a usage error"
grep -q "error: --run $rb2: that is a rollback, not a run" \
    "$TEST_TMP/ofrb.err" && pass "the rollback's id is named" ||
    fail "rollback's id: $(cat "$TEST_TMP/ofrb.err")"
assert_portal after1 "refused rollbacks change nothing in the portal"
assert_eq null "$(rolled "$run1")" "status: run 1 still not rolled back"

rollback rb1 --run "$run1"
assert_eq 0 "$?" "rollback of run 1 finishes"
assert_eq Seeded "$(first 9001)" "rollback of run 1 then gives the seeded value"
assert_eq complete "$(rolled "$run1" | jq -r '.[0]')" "status: run 1 rolled back completely"
assert_portal seeded "the portal equals the seeded state"
assert_eq "0 0" "$(sqlite3 "$L" "SELECT (SELECT count(*) FROM records),
    (SELECT count(*) FROM preimages)" | tr '|' ' ')" \
    "the ledger holds nothing of either run"

# Two more runs over the same rows, then every run at once.
run_project run3
rename "${picked[0]}" Third
run_project run4
run3=$(jq .run_id "$TEST_TMP/run3.json")
run4=$(jq .run_id "$TEST_TMP/run4.json")
assert_eq Third "$(first 9001)" "run 4 wrote its value"
rollback rball --all
assert_eq 0 "$?" "rollback --all finishes"
assert_eq "$(jq .plan.calls "$TEST_TMP/rball.json")" \
    "$(jq .api_calls "$TEST_TMP/rball.json")" \
    "rollback --all over two runs made the calls its plan counted"
assert_portal seeded "after --all the portal equals the seeded state"
assert_eq "0 0 0" "$(sqlite3 "$L" "SELECT (SELECT count(*) FROM records),
    (SELECT count(*) FROM preimages), (SELECT count(*) FROM associations)" |
    tr '|' ' ')" "the ledger holds nothing of the runs"
all=$(jq .rollback_id "$TEST_TMP/rball.json")
for r in $run3 $run4; do
    assert_eq "complete $all done" "$(rolled "$r" | jq -r '"\(.[0]) \(.[2][0]) \(.[2][2])"')" \
        "status: run $r rolled back completely by the rollback of every run"
done

finish
