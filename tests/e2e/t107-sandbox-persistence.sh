#!/usr/bin/env bash
# --data: state survives a restart; without it, nothing does.
. "$(dirname "$0")/lib.sh"

jb() { jq -r "$1" "$TEST_TMP/body"; }
data="$TEST_TMP/portal"

sandbox_start --data "$data"
[ -f "$data/sandbox.db" ] && pass "store file created under --data" ||
    fail "store file created under --data"
api POST /crm/v3/properties/contacts '{"name":"sf_id","label":"SF","type":"string","fieldType":"text","groupName":"contactinformation","hasUniqueValue":true}' >/dev/null
assert_eq 201 "$(api_status)" "property created"
api POST /crm/v3/objects/contacts '{"properties":{"email":"keep@example.com","sf_id":"003A"}}' >/dev/null
id=$(jb .id)
api POST /crm/v3/objects/companies '{"properties":{"name":"Keep Co"}}' >/dev/null
co=$(jb .id)
api DELETE "/crm/v3/objects/companies/$co" >/dev/null
sandbox_stop
assert_eq 0 "$?" "stopped cleanly"

sandbox_start --data "$data"
api GET "/crm/v3/objects/contacts/$id?properties=email,sf_id" >/dev/null
assert_eq 200 "$(api_status)" "record survives a restart"
assert_eq 003A "$(jb .properties.sf_id)" "custom value survives"
api GET /crm/v3/properties/contacts/sf_id >/dev/null
assert_eq true "$(jb .hasUniqueValue)" "custom property survives"
api GET "/crm/v3/objects/companies/$co?archived=true" >/dev/null
assert_eq true "$(jb .archived)" "archived state survives"
api POST /crm/v3/objects/contacts '{"properties":{"email":"KEEP@example.com"}}' >/dev/null
assert_eq 409 "$(api_status)" "unique email still enforced after restart"
api POST /crm/v3/objects/contacts '{"properties":{"email":"next@example.com"}}' >/dev/null
[ "$(jb .id)" -gt "$co" ] && pass "ids keep growing after restart" ||
    fail "ids keep growing after restart"
api GET /crm/v3/properties/contacts >/dev/null
assert_eq 1 "$(jb '[.results[] | select(.name == "email")] | length')" \
    "defaults not seeded twice"
sandbox_stop

# Without --data the portal starts empty every time.
sandbox_start
api GET "/crm/v3/objects/contacts/$id" >/dev/null
assert_eq 404 "$(api_status)" "in-memory portal starts empty"

# A data directory that cannot be created is a clear error.
touch "$TEST_TMP/afile"
assert_exit 1 "unusable --data fails" "$HSMIGRATE" sandbox --port 0 \
    --data "$TEST_TMP/afile/sub"
grep -q "cannot create data directory" "$TEST_TMP/last.err" &&
    pass "unusable --data is named" || fail "unusable --data is named"

finish
