#!/usr/bin/env bash
# Rows an earlier run created and a later run rejects (a config mistake:
# a stage mapped to an id the pipeline does not have). The records stay
# in the portal, so the ledger keeps them as the first run's: rollback
# --all archives every deal either run created, and verify counts them.
# Fixing the config and running again updates those same records, still
# as created by the first run, not as records that existed before.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rollback_lib.sh"

EXPORT=$TEST_TMP/export
PROJECT=$TEST_TMP/project
L=$PROJECT/ledger.db
export HUBSPOT_ACCESS_TOKEN=$SANDBOX_TOKEN

"$HSMIGRATE" generate salesforce --out "$EXPORT" --accounts 10 \
    --contacts 20 --leads 0 --opportunities 30 --users 2 --seed 608 >/dev/null
sandbox_start || finish
save_portal empty
"$HSMIGRATE" init --source salesforce --input "$EXPORT" --dir "$PROJECT" \
    >/dev/null
owners_optional "$PROJECT"
cp "$PROJECT/hsmigrate.yaml" "$TEST_TMP/good.yaml"
won=$(python3 - "$EXPORT/Opportunity.csv" <<'PY'
import csv, sys
rows = csv.DictReader(open(sys.argv[1], encoding="utf-8-sig"))
print(sum(1 for r in rows if r["IsDeleted"] != "1" and r["StageName"] == "Closed Won"))
PY
)
[ "$won" -gt 0 ] && pass "the export has $won live Closed Won deals" ||
    fail "no Closed Won deal in the export"

run_to_end run1
deals=$(jq .objects.deals.created "$TEST_TMP/run1.json")

# The mistake: Closed Won mapped to a stage id that does not exist.
sed -i 's/"Closed Won": "closedwon"/"Closed Won": "closed_won"/' \
    "$PROJECT/hsmigrate.yaml"
run_to_end run2
assert_eq "$won" "$(jq .objects.deals.rejected "$TEST_TMP/run2.json")" \
    "run 2 rejects the Closed Won deals"
assert_eq "$deals" "$(sqlite3 "$L" "SELECT count(*) FROM records WHERE
    object = 'deals' AND state = 1 AND hubspot_id <> '' AND run_id = 1")" \
    "the ledger still holds every deal run 1 created, as run 1's"
assert_exit 0 "verify counts the rejected rows' records" "$HSMIGRATE" verify \
    --dir "$PROJECT" --api-base "$SANDBOX_URL"
grep -c "closed_won" "$PROJECT/reports/deals-errors.csv" >"$TEST_TMP/n"
assert_eq "$won" "$(cat "$TEST_TMP/n")" "the errors report lists them"

"$HSMIGRATE" rollback --dir "$PROJECT" --api-base "$SANDBOX_URL" --all --yes \
    >/dev/null 2>"$TEST_TMP/rb1.err"
assert_eq 0 "$?" "rollback --all finishes"
assert_portal empty "after rollback --all the portal is empty again"

# Again, and this time the config is fixed before the rollback.
cp "$TEST_TMP/good.yaml" "$PROJECT/hsmigrate.yaml"
run_to_end run3
sed -i 's/"Closed Won": "closedwon"/"Closed Won": "closed_won"/' \
    "$PROJECT/hsmigrate.yaml"
run_to_end run4
cp "$TEST_TMP/good.yaml" "$PROJECT/hsmigrate.yaml"
run_to_end run5
assert_eq "$won" "$(jq .objects.deals.updated "$TEST_TMP/run5.json")" \
    "the fixed run writes the rejected deals again"
assert_eq 0 "$(sqlite3 "$L" "SELECT count(*) FROM records WHERE
    object = 'deals' AND existed_before = 1")" \
    "none of them counts as a record that existed before"
"$HSMIGRATE" rollback --dir "$PROJECT" --api-base "$SANDBOX_URL" --all --yes \
    >/dev/null 2>"$TEST_TMP/rb2.err"
assert_eq 0 "$?" "rollback --all finishes"
assert_portal empty "after rollback --all the portal is empty again"

finish
