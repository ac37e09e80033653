#!/usr/bin/env bash
# init over exports that are not the full set of files: the files that
# are absent are simply not mapped (no error, exit 0); a file that cannot
# be read stops init with an error naming it, and no config is written.
. "$(dirname "$0")/lib.sh"

FULL=$TEST_TMP/full
"$HSMIGRATE" generate salesforce --out "$FULL" --accounts 4 --contacts 6 \
    --leads 2 --opportunities 3 --users 2 --seed 3 >/dev/null

# Only accounts and contacts: no User.csv, Lead.csv, Opportunity.csv.
PART=$TEST_TMP/part
mkdir -p "$PART"
cp "$FULL/Account.csv" "$FULL/Contact.csv" "$PART/"
assert_exit 0 "init over an export without users, leads and deals" \
    "$HSMIGRATE" init --source salesforce --input "$PART" \
    --dir "$TEST_TMP/p1"
if grep -q "error" "$TEST_TMP/last.err"; then
    fail "init reports no error for absent files: $(cat "$TEST_TMP/last.err")"
else
    pass "init reports no error for absent files"
fi
grep -q 'file: "Contact.csv"' "$TEST_TMP/p1/hsmigrate.yaml" &&
    pass "the config maps Contact.csv" || fail "the config lacks Contact.csv"
grep -q 'Opportunity.csv' "$TEST_TMP/p1/hsmigrate.yaml" &&
    fail "the config maps an absent Opportunity.csv" ||
    pass "the config leaves the absent Opportunity.csv out"

# The same with --json: the summary says ok.
"$HSMIGRATE" init --source salesforce --input "$PART" --dir "$TEST_TMP/p2" \
    --json >"$TEST_TMP/init.json" 2>"$TEST_TMP/init.err"
assert_eq 0 "$?" "init --json over a partial export"
assert_eq "ok" "$(jq -r .status "$TEST_TMP/init.json")" "init --json says ok"

# A file that is a directory: an error naming it, nothing written.
BAD=$TEST_TMP/bad
mkdir -p "$BAD/Contact.csv"
cp "$FULL/Account.csv" "$BAD/"
assert_exit 1 "init over an export with a directory for Contact.csv" \
    "$HSMIGRATE" init --source salesforce --input "$BAD" --dir "$TEST_TMP/p3"
grep -q "cannot read '.*Contact.csv'" "$TEST_TMP/last.err" &&
    pass "the error names Contact.csv" ||
    fail "the error names Contact.csv: $(head -3 "$TEST_TMP/last.err")"
[ -e "$TEST_TMP/p3/hsmigrate.yaml" ] && fail "a config was written" ||
    pass "no config was written"
grep -q "Sanitizer" "$TEST_TMP/last.err" &&
    fail "init leaks or crashes on the way out: $(grep -m3 Sanitizer "$TEST_TMP/last.err")" ||
    pass "init frees what it read before the error"

# A row with malformed quoting is a warning naming file, line and field;
# init still writes the config, says ok and exits 0 (check reports the
# row), and counts the row as unreadable.
MAL=$TEST_TMP/malformed
mkdir -p "$MAL"
cp "$FULL/Account.csv" "$FULL/Contact.csv" "$MAL/"
sed -i '3s/^"/"x"x,/' "$MAL/Account.csv"
assert_exit 0 "init over an export with a malformed row" \
    "$HSMIGRATE" init --source salesforce --input "$MAL" --dir "$TEST_TMP/p4" \
    --json
grep -q "warning: '.*Account.csv' line 3, field 1 (Id): malformed quoting" \
    "$TEST_TMP/last.err" && pass "the warning names file, line and field" ||
    fail "warning: $(head -3 "$TEST_TMP/last.err")"
grep -q "error" "$TEST_TMP/last.err" &&
    fail "init reports an error: $(grep -m1 error "$TEST_TMP/last.err")" ||
    pass "init reports no error"
assert_eq "ok 0 1" "$(jq -r '[.status, .exit, (.files[] |
    select(.file == "Account.csv") | .unreadable)] | join(" ")' \
    "$TEST_TMP/last.out")" "the summary says ok and counts one unreadable row"
[ -e "$TEST_TMP/p4/hsmigrate.yaml" ] && pass "the config is written" ||
    fail "no config was written"

finish
