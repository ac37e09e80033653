#!/usr/bin/env bash
# Owners: active and archived owners from the seed file, paging, the
# email filter, lookups by id and by userId, and seed file errors.
. "$(dirname "$0")/lib.sh"

sandbox_start --seed-file "$(dirname "$0")/data/t160-seed.json" || finish

body=$(api GET /crm/v3/owners)
assert_eq 200 "$(api_status)" "list owners"
assert_eq "101 103 104" "$(jq -r '[.results[].id] | join(" ")' <<<"$body")" \
    "active owners only, in id order"
assert_eq "ann@example.com" "$(jq -r '.results[0].email' <<<"$body")" \
    "owner email is stored lowercased"
assert_eq "9001 9001" \
    "$(jq -r '.results[0] | "\(.userId) \(.userIdIncludingInactive)"' <<<"$body")" \
    "active owner has userId and userIdIncludingInactive"
assert_eq "East" "$(jq -r '.results[0].teams[0].name' <<<"$body")" \
    "teams come from the seed"
assert_eq "QUEUE" "$(jq -r '.results[2].type' <<<"$body")" "queue owner type"
assert_eq "null" "$(jq -r '.paging' <<<"$body")" "no paging on the last page"

body=$(api GET '/crm/v3/owners?limit=2')
assert_eq "101 103" "$(jq -r '[.results[].id] | join(" ")' <<<"$body")" \
    "limit cuts the page"
after=$(jq -r '.paging.next.after' <<<"$body")
body=$(api GET "/crm/v3/owners?limit=2&after=$after")
assert_eq "104" "$(jq -r '[.results[].id] | join(" ")' <<<"$body")" \
    "after continues where the page stopped"

body=$(api GET '/crm/v3/owners?archived=true')
assert_eq "102" "$(jq -r '[.results[].id] | join(" ")' <<<"$body")" \
    "archived=true lists archived owners only"
assert_eq "null 9002 true" \
    "$(jq -r '.results[0] | "\(.userId) \(.userIdIncludingInactive) \(.archived)"' <<<"$body")" \
    "archived owner: userId null, userIdIncludingInactive kept"

body=$(api GET '/crm/v3/owners?email=CY@example.com')
assert_eq "103" "$(jq -r '[.results[].id] | join(" ")' <<<"$body")" \
    "email filter is case-insensitive"

body=$(api GET /crm/v3/owners/103)
assert_eq "200 Cy" "$(api_status) $(jq -r .firstName <<<"$body")" \
    "read one owner by id"
body=$(api GET '/crm/v3/owners/9003?idProperty=userId')
assert_eq "200 103" "$(api_status) $(jq -r .id <<<"$body")" \
    "read one owner by userId"
body=$(api GET /crm/v3/owners/102)
assert_eq "404 OBJECT_NOT_FOUND" "$(api_status) $(jq -r .category <<<"$body")" \
    "an archived owner is not found without archived=true"
body=$(api GET '/crm/v3/owners/102?archived=true')
assert_eq "200 true" "$(api_status) $(jq -r .archived <<<"$body")" \
    "an archived owner is found with archived=true"
api GET /crm/v3/owners/999 >/dev/null
assert_eq 404 "$(api_status)" "unknown owner id"
api GET '/crm/v3/owners?limit=abc' >/dev/null
assert_eq 400 "$(api_status)" "malformed limit"
sandbox_stop

# A bad owners section stops the sandbox with the place of the error.
echo '{"owners": [{"id": "1"}, {"id": "2", "userId": "x"}]}' \
    >"$TEST_TMP/bad.json"
assert_exit 1 "bad owner seed refuses to start" \
    timeout 20 "$HSMIGRATE" sandbox --port 0 --seed-file "$TEST_TMP/bad.json"
grep -q 'bad.json: owners\[1\].userId' "$TEST_TMP/last.err" &&
    pass "seed error names file and member" ||
    fail "seed error names file and member: $(cat "$TEST_TMP/last.err")"

finish
