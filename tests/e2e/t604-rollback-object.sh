#!/usr/bin/env bash
# rollback --object: a run wrote companies, contacts and deals; rolling
# back only its contacts archives the contacts it created, restores the
# values it replaced on a seeded contact, and removes every association
# the run created that touches a contact (contact to company, deal to
# contact), while companies, deals and deal-to-company links stay as the
# run left them. A later rollback of the rest completes cleanly and the
# portal is the seeded one again.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rollback_lib.sh"

EXPORT=$TEST_TMP/export
PROJECT=$TEST_TMP/project
L=$PROJECT/ledger.db
export HUBSPOT_ACCESS_TOKEN=$SANDBOX_TOKEN

"$HSMIGRATE" generate salesforce --out "$EXPORT" --accounts 6 \
    --contacts 20 --leads 0 --opportunities 8 --users 2 --seed 68 >/dev/null
email=$(first_emails "$EXPORT/Contact.csv" 1)
cat >"$TEST_TMP/seed.json" <<JSON
{"records": {
  "contacts": [
    {"id": "9001", "properties": {"email": "$email", "firstname": "Before",
      "jobtitle": "Old title"}}],
  "companies": [{"id": "8001", "properties": {"name": "Seeded Co"}}]
}}
JSON
# The checks below read links one pair at a time: no window limit.
sandbox_start --seed-file "$TEST_TMP/seed.json" --rate-window-max unlimited ||
    finish
save_portal seeded
"$HSMIGRATE" init --source salesforce --input "$EXPORT" --dir "$PROJECT" \
    >/dev/null
owners_optional "$PROJECT"
run_project run
run=$(jq .run_id "$TEST_TMP/run.json")
save_portal after

created() { # created FROM TO: associations the run created, as "from to" lines
    sqlite3 -separator ' ' "$L" "SELECT from_id, to_id FROM associations
        WHERE from_object = '$1' AND to_object = '$2' AND created = 1
        ORDER BY 1, 2"
}
created contacts companies >"$TEST_TMP/cc"
created deals contacts >"$TEST_TMP/dc"
created deals companies >"$TEST_TMP/dco"
for f in cc dc dco; do
    [ -s "$TEST_TMP/$f" ] && pass "the run created $f associations" ||
        fail "the run created no $f associations"
done
has() { # has FROM ID TO TO_ID: 1 when the portal links them (from FROM's side)
    api GET "/crm/v4/objects/$1/$2/associations/$3" |
        jq --arg t "$4" '[(.results // [])[].toObjectId | tostring] |
            if index($t) == null then 0 else 1 end'
}
# count_linked FILE FROM TO: pairs "from to" of FILE the portal links; the
# question is asked from the TO side when the FROM records may be gone.
count_linked() {
    local n=0 a b
    while read -r a b; do
        if [ "${4:-}" = reverse ]; then
            n=$((n + $(has "$3" "$b" "$2" "$a")))
        else
            n=$((n + $(has "$2" "$a" "$3" "$b")))
        fi
    done <"$TEST_TMP/$1"
    echo $n
}

"$HSMIGRATE" rollback --dir "$PROJECT" --api-base "$SANDBOX_URL" --yes \
    --object contacts --json >"$TEST_TMP/rb1.json" 2>"$TEST_TMP/rb1.err"
assert_eq 0 "$?" "rollback --object contacts finishes"
made=$(jq .objects.contacts.created "$TEST_TMP/run.json")
assert_eq "$made 0 0" "$(jq -r '[.objects.contacts.archived,
    .objects.companies.archived, .objects.deals.archived] | join(" ")' \
    "$TEST_TMP/rb1.json")" "only the contacts the run created are archived"
assert_eq "$(cat "$TEST_TMP/seeded.contacts")" "$(snapshot contacts)" \
    "contacts equal the seeded state, the seeded contact's values restored"
for o in companies deals; do
    assert_eq "$(cat "$TEST_TMP/after.$o")" "$(snapshot $o)" \
        "$o are as the run left them"
done
assert_eq 0 "$(count_linked cc contacts companies reverse)" \
    "no contact-to-company link of the run is left"
assert_eq 0 "$(count_linked dc deals contacts)" \
    "no deal-to-contact link of the run is left"
assert_eq "[]" "$(links contacts 9001 companies)" \
    "the seeded contact lost the company link the run gave it"
assert_eq $(($(wc -l <"$TEST_TMP/cc") + $(wc -l <"$TEST_TMP/dc"))) \
    "$(sqlite3 "$L" "SELECT count(*) FROM rollback_items WHERE
    action = 'unlink' AND outcome = 'unlinked'")" \
    "each link touching a contact was removed explicitly, not only hidden by an archive"
assert_eq "$(wc -l <"$TEST_TMP/dco")" "$(count_linked dco deals companies)" \
    "every deal-to-company link of the run is still there"
assert_eq "0 0 $(wc -l <"$TEST_TMP/dco")" "$(sqlite3 "$L" "SELECT
    (SELECT count(*) FROM associations WHERE 'contacts' IN (from_object,
    to_object)), (SELECT count(*) FROM records WHERE object = 'contacts'),
    (SELECT count(*) FROM associations WHERE from_object = 'deals' AND
    to_object = 'companies')" | tr '|' ' ')" \
    "the ledger forgets the contacts and their links, and keeps the rest"
assert_eq "partial contacts done" "$("$HSMIGRATE" status --dir "$PROJECT" --json |
    jq -r --argjson r "$run" '.runs[] | select(.id == $r) | .rolled_back |
    "\(.state) \(.rollbacks[0].object) \(.rollbacks[0].status)"')" \
    "status: the run is partly rolled back, contacts only"

"$HSMIGRATE" rollback --dir "$PROJECT" --api-base "$SANDBOX_URL" --yes \
    --json >"$TEST_TMP/rb2.json" 2>"$TEST_TMP/rb2.err"
assert_eq 0 "$?" "a rollback of the rest finishes cleanly"
assert_eq "0 0 0 0" "$(jq -r '[.objects.contacts.archived,
    .objects.contacts.restored, .objects.companies.failed,
    .objects.deals.failed] | join(" ")' "$TEST_TMP/rb2.json")" \
    "it does not touch contacts again and nothing fails"
assert_portal seeded "the portal equals the seeded state"
assert_eq "0 0 0" "$(sqlite3 "$L" "SELECT (SELECT count(*) FROM records),
    (SELECT count(*) FROM associations), (SELECT count(*) FROM preimages)" |
    tr '|' ' ')" "the ledger holds nothing of the run"
assert_eq "complete contacts,null" "$("$HSMIGRATE" status --dir "$PROJECT" --json |
    jq -r --argjson r "$run" '.runs[] | select(.id == $r) | .rolled_back |
    "\(.state) \([.rollbacks[].object | tostring] | join(","))"')" \
    "status: the run is rolled back completely, in two steps"

finish
