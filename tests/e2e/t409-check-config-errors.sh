#!/usr/bin/env bash
# Config errors check finds before any row: a link file gone from the
# export loses every link of it, so it is a config problem (exit 2), not
# a warning; an error found while reading the portal's schema replaces
# the previous check's report instead of leaving it in place; an unknown
# encoding stops check cleanly (no leak under the sanitizer).
. "$(dirname "$0")/lib.sh"

SAMPLE=$(cd "$(dirname "$0")/../.." && pwd)/examples/salesforce-sample
EXPORT=$TEST_TMP/export
PROJECT=$TEST_TMP/project
REPORT=$PROJECT/reports/check-errors.csv
cp -r "$SAMPLE" "$EXPORT"
"$HSMIGRATE" init --source salesforce --input "$EXPORT" --dir "$PROJECT" \
    >/dev/null
cp "$PROJECT/hsmigrate.yaml" "$TEST_TMP/config.orig"
portal=(--sandbox "$TEST_TMP/portal" --sandbox-seed "$SAMPLE-portal.json")

assert_exit 3 "check of the sample" "$HSMIGRATE" check --dir "$PROJECT" \
    "${portal[@]}"
[ "$(wc -l <"$REPORT")" -gt 10 ] && pass "the report lists the rejected rows" ||
    fail "the report is short: $(wc -l <"$REPORT")"

# The deals' pipeline is not in the portal: found while reading the
# schema, before any row.
sed -i 's/^  pipeline: "default"$/  pipeline: "nopipe"/' "$PROJECT/hsmigrate.yaml"
assert_exit 2 "check with a pipeline the portal lacks" "$HSMIGRATE" check \
    --dir "$PROJECT" --sandbox "$TEST_TMP/portal"
assert_eq "2" "$(wc -l <"$REPORT")" "the report is rewritten: header and one row"
grep -q "^hsmigrate.yaml,0,.*deals.pipeline: the portal has no deal pipeline 'nopipe'" \
    "$REPORT" && pass "the row names the config error" ||
    fail "report: $(cat "$REPORT")"
cp "$TEST_TMP/config.orig" "$PROJECT/hsmigrate.yaml"

# A link file gone from the export.
mv "$EXPORT/OpportunityContactRole.csv" "$TEST_TMP/"
assert_exit 2 "check with a link file gone from the export" "$HSMIGRATE" \
    check --dir "$PROJECT" --sandbox "$TEST_TMP/portal"
grep -q "^OpportunityContactRole.csv,0,.*the links' file is not in the export" \
    "$REPORT" && pass "the report names the links' file" ||
    fail "report: $(grep -v WARNING "$REPORT" | head -3)"
assert_exit 2 "run refuses it too" "$HSMIGRATE" run --allow-rejects \
    --dir "$PROJECT" --sandbox "$TEST_TMP/portal"
[ -e "$PROJECT/ledger.db" ] && fail "the refused run opened a ledger" ||
    pass "the refused run wrote nothing, not even a ledger"
mv "$TEST_TMP/OpportunityContactRole.csv" "$EXPORT/"

# A record file the config names that the export does not have: the
# message on the console names it.
sed -i 's/file: "Lead.csv"/file: "Leads.csv"/' "$PROJECT/hsmigrate.yaml"
assert_exit 2 "check with a record file the export lacks" "$HSMIGRATE" check \
    --dir "$PROJECT" --sandbox "$TEST_TMP/portal"
grep -q "the file 'Leads.csv' is not in the export" "$TEST_TMP/last.out" &&
    pass "check's problems name the missing file" ||
    fail "check output: $(grep -i leads "$TEST_TMP/last.out" "$TEST_TMP/last.err")"
cp "$TEST_TMP/config.orig" "$PROJECT/hsmigrate.yaml"

sed -i 's/^  encoding: "[^"]*"$/  encoding: "utf-16"/' "$PROJECT/hsmigrate.yaml"
assert_exit 2 "check with an unknown encoding" "$HSMIGRATE" check \
    --dir "$PROJECT" --sandbox "$TEST_TMP/portal"
grep -q "source.encoding: unknown encoding 'utf-16'" "$TEST_TMP/last.err" &&
    pass "the error names the key" || fail "error: $(cat "$TEST_TMP/last.err")"
grep -q "Sanitizer" "$TEST_TMP/last.err" &&
    fail "check leaks on the way out: $(grep -m2 Sanitizer "$TEST_TMP/last.err")" ||
    pass "check frees what it took before the error"

finish
