#!/usr/bin/env bash
# --latency-ms delays responses without serializing them: several slow
# requests are in flight at once, and all of them are answered.
. "$(dirname "$0")/lib.sh"

jb() { jq -r "$1" "$TEST_TMP/body"; }

sandbox_start --latency-ms 4000
pids=()
for i in 1 2 3; do
    curl -s -o "$TEST_TMP/slow$i" -w '%{http_code}' -X POST \
        -H "Authorization: Bearer $SANDBOX_TOKEN" -H 'Content-Type: application/json' \
        -d "{\"properties\":{\"email\":\"slow$i@example.com\"}}" \
        "$SANDBOX_URL/crm/v3/objects/contacts" >"$TEST_TMP/code$i" &
    pids+=($!)
done

# Admin requests skip the latency, so they can watch the slow ones. A
# server that served one request at a time would never show three.
most=0
for ((n = 0; n < 150 && most < 3; n++)); do
    f=$(curl -s "$SANDBOX_URL/_sandbox/stats" | jq -r .inFlight)
    [ "${f:-0}" -gt "$most" ] && most=$f
    [ "$most" -lt 3 ] && sleep 0.02
done
assert_eq 3 "$most" "three slow requests in flight at once"
wait "${pids[@]}"
for i in 1 2 3; do
    assert_eq 201 "$(cat "$TEST_TMP/code$i")" "slow request $i answered"
done
assert_eq 0 "$(curl -s "$SANDBOX_URL/_sandbox/stats" | jq -r .inFlight)" \
    "nothing left in flight"
api GET "/crm/v3/objects/contacts/slow2@example.com?idProperty=email" >/dev/null
assert_eq slow2@example.com "$(jb .properties.email)" "slow write stored"

finish
