#!/usr/bin/env bash
# Rate limits with shrunk flags: the rolling window, the daily budget, the
# separate search bucket, headers, 429 bodies and Retry-After.
. "$(dirname "$0")/lib.sh"

jb() { jq -r "$1" "$TEST_TMP/body"; }
# hdr NAME: a header of the last response fetched with get_h.
hdr() { grep -i "^$1:" "$TEST_TMP/h" | head -n 1 | cut -d' ' -f2- | tr -d '\r'; }
get_h() {
    curl -s -D "$TEST_TMP/h" -o "$TEST_TMP/body" -w '%{http_code}' \
        -H "Authorization: Bearer $SANDBOX_TOKEN" "$SANDBOX_URL$1"
}
search_h() {
    curl -s -D "$TEST_TMP/h" -o "$TEST_TMP/body" -w '%{http_code}' \
        -H "Authorization: Bearer $SANDBOX_TOKEN" -H 'Content-Type: application/json' \
        -d '{"filterGroups":[],"limit":1}' "$SANDBOX_URL/crm/v3/objects/contacts/search"
}

# A window of 3 that lasts a minute, so the test cannot race its end.
sandbox_start --rate-window-max 3 --rate-window-ms 60000 --daily-limit 1000 \
    --search-per-second 1 --retry-after

assert_eq 200 "$(get_h /crm/v3/objects/contacts)" "first request served"
assert_eq 3 "$(hdr X-HubSpot-RateLimit-Max)" "Max header"
assert_eq 2 "$(hdr X-HubSpot-RateLimit-Remaining)" "Remaining header"
assert_eq 60000 "$(hdr X-HubSpot-RateLimit-Interval-Milliseconds)" "Interval header"
assert_eq 1000 "$(hdr X-HubSpot-RateLimit-Daily)" "Daily header"
assert_eq 999 "$(hdr X-HubSpot-RateLimit-Daily-Remaining)" "Daily-Remaining header"
get_h /crm/v3/objects/contacts >/dev/null
get_h /crm/v3/objects/contacts >/dev/null
assert_eq 0 "$(hdr X-HubSpot-RateLimit-Remaining)" "window used up"
assert_eq 429 "$(get_h /crm/v3/objects/contacts)" "fourth request refused"
assert_eq RATE_LIMIT "$(jb .errorType)" "429 errorType"
assert_eq TEN_SECONDLY_ROLLING "$(jb .policyName)" "429 policyName"
assert_eq "You have reached your ten_secondly_rolling limit." "$(jb .message)" \
    "429 message"
assert_eq error "$(jb .status)" "429 status field"
ra=$(hdr Retry-After)
[[ "$ra" =~ ^[0-9]+$ ]] && [ "$ra" -ge 1 ] && [ "$ra" -le 60 ] &&
    pass "Retry-After in seconds with --retry-after" ||
    fail "Retry-After in seconds with --retry-after: '$ra'"

# Search has its own bucket and no rate-limit headers.
assert_eq 200 "$(search_h)" "search is outside the exhausted window"
[ -z "$(hdr X-HubSpot-RateLimit-Max)" ] && [ -z "$(hdr X-HubSpot-RateLimit-Daily)" ] &&
    pass "search responses carry no rate-limit headers" ||
    fail "search responses carry no rate-limit headers"
[ -n "$(hdr X-HubSpot-Correlation-Id)" ] && pass "search has a correlation id" ||
    fail "search has a correlation id"
# One per second: of eight quick searches at least one is refused.
refused=0
for i in 1 2 3 4 5 6 7 8; do
    [ "$(search_h)" = 429 ] && refused=$((refused + 1)) && last=$(jb .policyName)
done
[ "$refused" -ge 1 ] && pass "search bucket refuses" || fail "search bucket refuses"
assert_eq SECONDLY "${last:-}" "search 429 policyName"

stats=$(curl -s "$SANDBOX_URL/_sandbox/stats")
assert_eq $((1 + refused)) "$(jq -r '.rateLimited' <<<"$stats")" \
    "stats count the 429s"
assert_eq 1 "$(jq -r '.byEndpoint["GET /crm/v3/objects/{objectType}"].byStatus["429"]' <<<"$stats")" \
    "stats count 429s by endpoint"

# Admin reset empties the window.
curl -s -X POST "$SANDBOX_URL/_sandbox/reset" >/dev/null
assert_eq 200 "$(get_h /crm/v3/objects/contacts)" "reset refills the window"
sandbox_stop

# The daily budget: DAILY, and no Retry-After unless asked for.
sandbox_start --daily-limit 2
get_h /crm/v3/objects/contacts >/dev/null
assert_eq 1 "$(hdr X-HubSpot-RateLimit-Daily-Remaining)" "daily counts down"
assert_eq 100 "$(hdr X-HubSpot-RateLimit-Max)" "free tier window is 100"
get_h /crm/v3/objects/contacts >/dev/null
assert_eq 429 "$(get_h /crm/v3/objects/contacts)" "over the daily budget"
assert_eq DAILY "$(jb .policyName)" "daily policyName"
assert_eq "You have reached your daily limit." "$(jb .message)" "daily message"
[ -z "$(hdr Retry-After)" ] && pass "no Retry-After by default" ||
    fail "no Retry-After by default"
sandbox_stop

# Tiers set the documented limits.
sandbox_start --tier professional
get_h /crm/v3/objects/contacts >/dev/null
assert_eq 190 "$(hdr X-HubSpot-RateLimit-Max)" "professional window"
assert_eq 625000 "$(hdr X-HubSpot-RateLimit-Daily)" "professional daily"
sandbox_stop
sandbox_start --tier enterprise
get_h /crm/v3/objects/contacts >/dev/null
assert_eq 1000000 "$(hdr X-HubSpot-RateLimit-Daily)" "enterprise daily"

finish
