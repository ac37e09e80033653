#!/usr/bin/env bash
# Rehearsing with --sandbox: a portal without owners rejects every owned
# record (owners.unmatched "error", as init writes it) and says how to
# fix it; a seed with the export's users as owners makes the check clean;
# a seed given for a sandbox directory that already holds a portal is
# not loaded, and says so; owners.default and owners.unmatched "none"
# each clear the owner rejects.
. "$(dirname "$0")/lib.sh"

EXPORT=$TEST_TMP/export
PROJECT=$TEST_TMP/project
"$HSMIGRATE" generate salesforce --out "$EXPORT" --accounts 8 --contacts 12 \
    --leads 4 --opportunities 6 --users 3 --seed 21 >/dev/null
owners_seed "$EXPORT" "$TEST_TMP/owners.json"
"$HSMIGRATE" init --source salesforce --input "$EXPORT" --dir "$PROJECT" \
    >/dev/null
errors=$PROJECT/reports/check-errors.csv
owner_rejects() {
    grep 'no HubSpot owner has the email' "$errors" | grep -vc 'warning only$'
}

assert_exit 3 "check against a portal without owners" "$HSMIGRATE" check \
    --dir "$PROJECT" --sandbox "$TEST_TMP/bare"
[ "$(owner_rejects)" -gt 0 ] &&
    pass "owned rows are rejected for their owner ($(owner_rejects))" ||
    fail "no owner reject in $errors"
grep 'no HubSpot owner' "$errors" | grep -q 'owners.unmatched: none' &&
    pass "the hint names owners.default and owners.unmatched" ||
    fail "hint: $(grep -m1 'no HubSpot owner' "$errors")"
grep -q "^most frequent problems (rows):" "$TEST_TMP/last.out" &&
    grep -q "OwnerId: no HubSpot owner has the email" "$TEST_TMP/last.out" &&
    pass "check's summary names the most frequent problem" ||
    fail "check's summary: $(tail -8 "$TEST_TMP/last.out")"
"$HSMIGRATE" check --dir "$PROJECT" --sandbox "$TEST_TMP/bare" --json \
    >"$TEST_TMP/check.json" 2>/dev/null
top=$(jq -r '.top_problems[0] | [.field, (.rows | tostring)] | join(" ")' \
    "$TEST_TMP/check.json")
most=$(grep 'no HubSpot owner' "$errors" | cut -d, -f4,7 | sort | uniq -c |
    sort -rn | head -1 | awk '{print $1}')
assert_eq "OwnerId $most" "$top" \
    "--json top_problems: the most frequent problem and its rows"
assert_exit 3 "run refused by check" "$HSMIGRATE" run --dir "$PROJECT" \
    --sandbox "$TEST_TMP/bare"
grep -q "rows that would be rejected (.* problems; the most frequent, in $most rows: .* OwnerId: no HubSpot owner" \
    "$TEST_TMP/last.err" && pass "run says why it refused, and how often" ||
    fail "run's refusal: $(cat "$TEST_TMP/last.err")"
assert_eq "" "$(cat "$TEST_TMP/last.out")" "a refused run prints no summary table"

assert_exit 0 "check against a portal seeded with the export's owners" \
    "$HSMIGRATE" check --dir "$PROJECT" --sandbox "$TEST_TMP/seeded" \
    --sandbox-seed "$TEST_TMP/owners.json"
assert_eq "0" "$(owner_rejects)" "no owner reject with the owners seeded"

# The bare portal exists now: a seed given for it is not loaded.
assert_exit 3 "a seed for an existing sandbox portal" "$HSMIGRATE" check \
    --dir "$PROJECT" --sandbox "$TEST_TMP/bare" \
    --sandbox-seed "$TEST_TMP/owners.json"
grep -q "already holds a portal, so the seed file .* is not loaded" \
    "$TEST_TMP/last.err" && pass "an ignored seed is reported" ||
    fail "no warning for the ignored seed: $(cat "$TEST_TMP/last.err")"
[ "$(owner_rejects)" -gt 0 ] && pass "the existing portal kept no owners" ||
    fail "the seed was loaded into an existing portal"

# A default owner takes the unmatched users' records.
cp "$PROJECT/hsmigrate.yaml" "$TEST_TMP/config.orig"
email=$(jq -r '.owners[0].email' "$TEST_TMP/owners.json")
jq '.owners |= .[:1]' "$TEST_TMP/owners.json" >"$TEST_TMP/one-owner.json"
sed -i "s/^  file: \"User.csv\"$/&\n  default: \"$email\"/" \
    "$PROJECT/hsmigrate.yaml"
assert_exit 0 "check with owners.default" "$HSMIGRATE" check \
    --dir "$PROJECT" --sandbox "$TEST_TMP/one" \
    --sandbox-seed "$TEST_TMP/one-owner.json"
grep -q 'the default owner is written,warning only' "$errors" &&
    pass "the default owner is a warning per row" ||
    fail "no default-owner warning in $errors"
jq '.owners |= [.[0] | .archived = true]' "$TEST_TMP/owners.json" \
    >"$TEST_TMP/archived-owner.json"
assert_exit 0 "check with an archived default owner" "$HSMIGRATE" check \
    --dir "$PROJECT" --sandbox "$TEST_TMP/archived" \
    --sandbox-seed "$TEST_TMP/archived-owner.json"
grep -q "owners.default: the HubSpot owner '$email' is archived" \
    "$TEST_TMP/last.err" && pass "an archived default owner is warned of" ||
    fail "no warning for the archived default owner: $(cat "$TEST_TMP/last.err")"

# owners.unmatched "none": written without an owner, with a warning.
cp "$TEST_TMP/config.orig" "$PROJECT/hsmigrate.yaml"
owners_optional "$PROJECT"
assert_exit 0 "check with owners.unmatched none" "$HSMIGRATE" check \
    --dir "$PROJECT" --sandbox "$TEST_TMP/bare"
grep -q 'the record is written without an owner,warning only' "$errors" &&
    pass "an ownerless record is a warning per row" ||
    fail "no ownerless warning in $errors"
assert_eq "0" "$(owner_rejects)" "no owner reject with unmatched none"
assert_exit 0 "run with owners.unmatched none" "$HSMIGRATE" run \
    --dir "$PROJECT" --sandbox "$TEST_TMP/bare"
warned=$(python3 - "$PROJECT"/reports/*-errors.csv <<'PY'
import csv, sys
rows = {(f, r["source_id"]) for f in sys.argv[1:]
        if not f.endswith("/check-errors.csv")
        for r in csv.DictReader(open(f)) if r["error"] == "WARNING"}
print(len(rows))
PY
)
grep -q "^  $warned rows landed with a warning" "$TEST_TMP/last.err" &&
    pass "run's summary counts the $warned rows written with a warning" ||
    fail "run's summary: $(tail -6 "$TEST_TMP/last.err")"

finish
