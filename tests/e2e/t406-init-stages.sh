#!/usr/bin/env bash
# init maps Salesforce's standard opportunity stages to HubSpot's and
# guesses the others (won, lost, else the first stage): the guesses are
# marked in its listing and in --json, so that a renamed stage is not
# migrated under a stage nobody chose.
. "$(dirname "$0")/lib.sh"

EXPORT=$TEST_TMP/export
"$HSMIGRATE" generate salesforce --out "$EXPORT" --accounts 4 --contacts 4 \
    --leads 0 --opportunities 12 --users 2 --seed 5 >/dev/null
# Renames three opportunities' stages to names Salesforce does not ship.
python3 - "$EXPORT/Opportunity.csv" <<'PY'
import csv, sys
path = sys.argv[1]
rows = list(csv.reader(open(path, newline="", encoding="utf-8")))
col = rows[0].index("StageName")
for row, name in zip(rows[1:4], ["Contract Signed", "Won Back", "Lost To Rival"]):
    row[col] = name
with open(path, "w", newline="", encoding="utf-8") as f:
    csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
PY

assert_exit 0 "init" "$HSMIGRATE" init --source salesforce --input "$EXPORT" \
    --dir "$TEST_TMP/p1"
out=$TEST_TMP/last.out
for s in "Contract Signed:appointmentscheduled" "Won Back:closedwon" \
    "Lost To Rival:closedlost"; do
    grep -q "^  ${s%%:*}  *-> ${s#*:}  (guessed: not a standard stage; check it)$" \
        "$out" && pass "the listing marks '${s%%:*}' as guessed" ||
        fail "'$s' not marked: $(grep -A14 '^deal stages' "$out")"
done
std=$(grep -E '^  (Prospecting|Qualification|Needs Analysis|Value Proposition|Id\. Decision Makers|Perception Analysis|Proposal/Price Quote|Negotiation/Review|Closed Won|Closed Lost) ' "$out")
[ -n "$std" ] && ! grep -q guessed <<<"$std" &&
    pass "standard stages are listed unmarked" ||
    fail "standard stages: $(grep -A14 '^deal stages' "$out")"
grep -q "^guessed deal stages: 3 (marked above); check them in deals.stages" \
    "$out" && pass "the listing counts the guesses" ||
    fail "no count of guesses: $(tail -3 "$out")"
grep -q '"Won Back": "closedwon"' "$TEST_TMP/p1/hsmigrate.yaml" &&
    pass "the config holds the guessed stage" ||
    fail "config: $(grep -A14 'stages:' "$TEST_TMP/p1/hsmigrate.yaml")"

"$HSMIGRATE" init --source salesforce --input "$EXPORT" --dir "$TEST_TMP/p2" \
    --json >"$TEST_TMP/init.json"
assert_eq '["Contract Signed","Lost To Rival","Won Back"]' \
    "$(jq -c '[.stages[] | select(.guessed) | .label] | sort' "$TEST_TMP/init.json")" \
    "--json marks the guessed stages"
standard='["Prospecting","Qualification","Needs Analysis","Value Proposition",
    "Id. Decision Makers","Perception Analysis","Proposal/Price Quote",
    "Negotiation/Review","Closed Won","Closed Lost"]'
assert_eq true "$(jq --argjson std "$standard" '[.stages[] | select(.guessed
    | not) | .label] | length > 0 and all(. as $l | $std | index($l))' \
    "$TEST_TMP/init.json")" "--json leaves Salesforce's standard stages unmarked"

finish
