#!/usr/bin/env bash
# Rows the reader cannot take (broken quoting, a missing field, an id that
# is not one, an IsDeleted that is not yes or no) are reported on their own
# line of the file, in check's report and in run's errors report, and they
# count as read and rejected while the rows around them land.
. "$(dirname "$0")/lib.sh"

EXPORT=$TEST_TMP/export
PROJECT=$TEST_TMP/project
export HUBSPOT_ACCESS_TOKEN=$SANDBOX_TOKEN
mkdir -p "$EXPORT" "$PROJECT"

# Lines 3, 5, 6, 7 and 11 are unreadable; the value on line 9 spans two
# lines, so the good row after it starts on line 12.
cat >"$EXPORT/Contact.csv" <<'CSV'
Id,LastName,Email,IsDeleted
003000000000001AAA,One,one@example.com,0
003000000000002AAA,Tw"o,two@example.com,0
003000000000003AAA,Three,three@example.com,0
003000000000004AAA,Four
00300000000000!AAA,Five,five@example.com,0
003000000000006AAA,Six,six@example.com,maybe
003000000000007AAA,Seven,seven@example.com,0
003000000000008AAA,"Eight
and a half",eight@example.com,0
0030000000009,Nine,nine@example.com,0
003000000000010AAA,Ten,ten@example.com,0
CSV
cat >"$PROJECT/hsmigrate.yaml" <<YAML
version: "1"
source:
  type: "salesforce"
  input: "$EXPORT"
run:
  concurrency: "2"
  daily_quota_floor: "0"
objects:
  contacts:
    - file: "Contact.csv"
      fields:
        - {column: "LastName", property: "lastname"}
        - {column: "Email", property: "email", transform: "email"}
YAML
chmod 600 "$PROJECT/hsmigrate.yaml"
sandbox_start

# The line column of a report's rows, space-separated; with a third
# argument only the rows whose column 7 (error) equals it.
report_lines() {
    tail -n +2 "$1" | python3 -c '
import csv, sys
want = sys.argv[1] if len(sys.argv) > 1 else None
print(" ".join(r[1] for r in csv.reader(sys.stdin) if not want or r[6] == want))
' ${2:+"$2"}
}

"$HSMIGRATE" check --dir "$PROJECT" --api-base "$SANDBOX_URL" --json \
    >"$TEST_TMP/check.json" 2>"$TEST_TMP/check.err"
assert_eq 3 "$?" "check finds rejected rows"
assert_eq 10 "$(jq .objects.contacts.read "$TEST_TMP/check.json")" \
    "check: every row counts as read"
assert_eq 5 "$(jq .objects.contacts.rejected "$TEST_TMP/check.json")" \
    "check: the unreadable rows are rejected"
assert_eq 5 "$(jq .objects.contacts.valid "$TEST_TMP/check.json")" \
    "check: the readable rows are valid"
assert_eq "3 5 6 7 11" "$(report_lines "$PROJECT/reports/check-errors.csv")" \
    "check-errors.csv: each unreadable row on its own line"

"$HSMIGRATE" run --allow-rejects --dir "$PROJECT" --api-base "$SANDBOX_URL" \
    --json >"$TEST_TMP/run.json" 2>"$TEST_TMP/run.err"
assert_eq 3 "$?" "run --allow-rejects lands the rest"
assert_eq 5 "$(jq .objects.contacts.created "$TEST_TMP/run.json")" \
    "run created the five readable rows"
assert_eq 5 "$(jq .objects.contacts.rejected "$TEST_TMP/run.json")" \
    "run rejected the five unreadable rows"
assert_eq 10 "$(jq .objects.contacts.read "$TEST_TMP/run.json")" \
    "run: every row counts as read, as in check"
assert_eq "3 5 6 7 11" \
    "$(report_lines "$PROJECT/reports/contacts-errors.csv" UNREADABLE_ROW)" \
    "contacts-errors.csv: each unreadable row on its own line"
assert_eq "Eight
and a half" "$(api GET "/crm/v3/objects/contacts/003000000000008AAA?idProperty=salesforce_id&properties=lastname" |
    jq -r .properties.lastname)" "the value spanning two lines landed whole"
assert_eq "ten@example.com" "$(api GET "/crm/v3/objects/contacts/003000000000010AAA?idProperty=salesforce_id&properties=email" |
    jq -r .properties.email)" "the row after the unreadable ones landed"

finish
