#!/usr/bin/env bash
# Every command that writes the ledger and the portal takes the project's
# lock: while another command holds it, run, rollback, doctor and ledger
# rebuild refuse (exit 2) and change nothing, in the ledger or the portal.
. "$(dirname "$0")/lib.sh"

EXPORT=$TEST_TMP/export
PROJECT=$TEST_TMP/project
export HUBSPOT_ACCESS_TOKEN=$SANDBOX_TOKEN

count() {
    api GET "/crm/v3/objects/$1?limit=100" | jq '.results | length'
}

ledger_rows() {
    sqlite3 "$PROJECT/ledger.db" \
        "SELECT (SELECT count(*) FROM runs) || '/' ||
                (SELECT count(*) FROM records)"
}

"$HSMIGRATE" generate salesforce --out "$EXPORT" --accounts 8 --contacts 12 \
    --leads 3 --opportunities 6 --users 2 --seed 7 >/dev/null
sandbox_start
"$HSMIGRATE" init --source salesforce --input "$EXPORT" --dir "$PROJECT" \
    >/dev/null
owners_optional "$PROJECT"
"$HSMIGRATE" run --allow-rejects -q --dir "$PROJECT" \
    --api-base "$SANDBOX_URL" >/dev/null 2>"$TEST_TMP/run.err"
rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] && pass "a first run lands (exit $rc)" ||
    fail "first run: exit $rc $(tail -3 "$TEST_TMP/run.err")"
companies=$(count companies)
[ "$companies" -gt 0 ] && pass "the run created companies ($companies)" ||
    fail "the run created no company"
before=$(ledger_rows)

# Another hsmigrate command at work: it holds the lock for as long as
# file descriptor 8 stays open.
exec 8>>"$PROJECT/.hsmigrate.lock"
flock -n 8 && pass "the test holds the project lock" ||
    fail "the test could not take the project lock"

refused() {
    local what=$1
    shift
    "$@" >"$TEST_TMP/last.out" 2>"$TEST_TMP/last.err"
    assert_eq 2 "$?" "$what refuses while the project is locked"
    grep -q "another hsmigrate command is working on the project" \
        "$TEST_TMP/last.err" && pass "$what says why" ||
        fail "$what says why: $(tail -2 "$TEST_TMP/last.err")"
}

total() { curl -s "$SANDBOX_URL/_sandbox/stats" | jq .total; }
sent=$(total)
refused "run" "$HSMIGRATE" run --allow-rejects --dir "$PROJECT" \
    --api-base "$SANDBOX_URL"
assert_eq "$sent" "$(total)" "the refused run sent no request (no check first)"
refused "rollback" "$HSMIGRATE" rollback --yes --dir "$PROJECT" \
    --api-base "$SANDBOX_URL"
refused "doctor --fix" "$HSMIGRATE" doctor --fix --dir "$PROJECT" \
    --api-base "$SANDBOX_URL"
cp "$PROJECT/ledger.db" "$TEST_TMP/ledger.keep"
refused "ledger rebuild" "$HSMIGRATE" ledger rebuild --dir "$PROJECT" \
    --api-base "$SANDBOX_URL"
cmp -s "$PROJECT/ledger.db" "$TEST_TMP/ledger.keep" &&
    pass "the refused rebuild left the ledger file alone" ||
    fail "the refused rebuild changed the ledger file"

assert_eq "$companies" "$(count companies)" "no company was archived"
assert_eq "$before" "$(ledger_rows)" "the ledger has no new run or record"

# Once the lock is free, rollback works.
exec 8>&-
"$HSMIGRATE" rollback --yes --dir "$PROJECT" --api-base "$SANDBOX_URL" \
    >/dev/null 2>"$TEST_TMP/rb.err"
assert_eq 0 "$?" "rollback runs once the lock is released"
assert_eq 0 "$(count companies)" "rollback archived the run's companies"

finish
