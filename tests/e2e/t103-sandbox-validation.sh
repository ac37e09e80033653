#!/usr/bin/env bash
# Value validation on record writes, as HubSpot does it, through the API.
. "$(dirname "$0")/lib.sh"

jb() { jq -r "$1" "$TEST_TMP/body"; }

sandbox_start

# A custom property of each type, to write values into.
for p in 'd_date:date:date' 'd_time:datetime:date' 'd_num:number:number' \
    'd_bool:bool:booleancheckbox'; do
    IFS=: read -r name type ft <<<"$p"
    api POST /crm/v3/properties/deals "{\"name\":\"$name\",\"label\":\"$name\",\"type\":\"$type\",\"fieldType\":\"$ft\",\"groupName\":\"dealinformation\"}" >/dev/null
    assert_eq 201 "$(api_status)" "property $name created"
done
api POST /crm/v3/properties/deals '{"name":"d_tags","label":"Tags","type":"enumeration","fieldType":"checkbox","groupName":"dealinformation","options":[{"label":"A","value":"A"},{"label":"B","value":"B"},{"label":"C","value":"C"}]}' >/dev/null
assert_eq 201 "$(api_status)" "multi-checkbox property created"

# try PROP VALUE: writes one value to a new deal; prints the stored value
# or the error code.
try() {
    local body
    body=$(jq -cn --arg p "$1" --arg v "$2" '{properties: {dealname: "t", ($p): $v}}')
    api POST /crm/v3/objects/deals "$body" >/dev/null
    if [ "$(api_status)" = 201 ]; then
        api GET "/crm/v3/objects/deals/$(jb .id)?properties=$1" >/dev/null
        jb ".properties.$1"
    else
        jb '.message | sub("^Property values were not valid: "; "") | fromjson | .[0].error'
    fi
}

assert_eq 2015-05-01 "$(try d_date 2015-05-01)" "date YYYY-MM-DD"
assert_eq 2015-05-01 "$(try d_date 1430438400000)" "date as epoch ms at midnight"
assert_eq INVALID_DATE "$(try d_date 1430438400001)" "date not at midnight"
assert_eq INVALID_DATE "$(try d_date 05/01/2015)" "date in another format"
api POST /crm/v3/objects/deals '{"properties":{"d_date":"1635535865"}}' >/dev/null
assert_eq "1635535865 is at 22:18:55.865 UTC, not midnight!" \
    "$(jb '.message | sub("^Property values were not valid: "; "") | fromjson | .[0].message')" \
    "not-midnight message"
assert_eq 2020-02-29T03:30:17.000Z "$(try d_time 2020-02-29T03:30:17Z)" "datetime ISO"
assert_eq 2024-01-17T19:55:04.281Z "$(try d_time 1705521304281)" "datetime epoch ms"
assert_eq INVALID_LONG "$(try d_time soon)" "bad datetime"
assert_eq 1234.5 "$(try d_num 1234.5)" "number"
assert_eq -7 "$(try d_num -7)" "negative number"
assert_eq INVALID_INTEGER "$(try d_num 1,234)" "thousands separator refused"
assert_eq INVALID_INTEGER "$(try d_num '12 000')" "space refused"
assert_eq true "$(try d_bool true)" "bool"
assert_eq INVALID_BOOLEAN "$(try d_bool yes)" "bad bool"
assert_eq "A;C" "$(try d_tags 'A;C')" "multi-checkbox values"
assert_eq INVALID_OPTION "$(try d_tags 'A;c')" "multi-checkbox is case-sensitive"
assert_eq closedwon "$(try dealstage closedwon)" "deal stage"
assert_eq INVALID_OPTION "$(try dealstage ClosedWon)" "enumeration is case-sensitive"
assert_eq INVALID_OPTION "$(try dealtype nosuch)" "unknown option"
assert_eq PROPERTY_DOESNT_EXIST "$(try nosuchprop 1)" "unknown property"
assert_eq READ_ONLY_VALUE "$(try hs_lastmodifieddate 1705521304281)" \
    "read-only property"

# A leading ';' appends to a multi-checkbox value.
api POST /crm/v3/objects/deals '{"properties":{"d_tags":"A"}}' >/dev/null
id=$(jb .id)
api PATCH "/crm/v3/objects/deals/$id" '{"properties":{"d_tags":";B"}}' >/dev/null
assert_eq "A;B" "$(jb .properties.d_tags)" "leading ';' appends"

# Several bad values: one envelope listing each.
api POST /crm/v3/objects/deals '{"properties":{"d_num":"x","d_bool":"y","nope":"z"}}' >/dev/null
assert_eq 400 "$(api_status)" "several bad values: 400"
assert_eq VALIDATION_ERROR "$(jb .category)" "envelope category"
assert_eq "INVALID_BOOLEAN INVALID_INTEGER PROPERTY_DOESNT_EXIST" \
    "$(jb '.message | sub("^Property values were not valid: "; "") | fromjson | map(.error) | sort | join(" ")')" \
    "envelope lists every bad value"
assert_eq "d_bool d_num nope" \
    "$(jb '.message | sub("^Property values were not valid: "; "") | fromjson | map(.name) | sort | join(" ")')" \
    "envelope names each property"

# Emails: validated, lowercased, matched case-insensitively.
api POST /crm/v3/objects/contacts '{"properties":{"email":"not-an-email"}}' >/dev/null
assert_eq 400 "$(api_status)" "invalid email refused"
api POST /crm/v3/objects/contacts '{"properties":{"email":"MiXed@Case.org"}}' >/dev/null
assert_eq mixed@case.org "$(jb .properties.email)" "email lowercased"
api PATCH "/crm/v3/objects/contacts/$(jb .id)" '{"properties":{"email":"MIXED@case.org"}}' >/dev/null
assert_eq 200 "$(api_status)" "a record may keep its own email"

finish
