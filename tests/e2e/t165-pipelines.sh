#!/usr/bin/env bash
# Deal pipelines: HubSpot's default pipeline and stage ids, pipelines
# added by the seed file, single lookups, stages, and seed file errors.
. "$(dirname "$0")/lib.sh"

sandbox_start --seed-file "$(dirname "$0")/data/t160-seed.json" || finish

body=$(api GET /crm/v3/pipelines/deals)
assert_eq 200 "$(api_status)" "list deal pipelines"
assert_eq "default enterprise" "$(jq -r '[.results[].id] | join(" ")' <<<"$body")" \
    "default pipeline first, then the seeded one"
assert_eq "appointmentscheduled qualifiedtobuy presentationscheduled decisionmakerboughtin contractsent closedwon closedlost" \
    "$(jq -r '[.results[0].stages[].id] | join(" ")' <<<"$body")" \
    "HubSpot's default stage ids in order"
assert_eq "0.2 false" \
    "$(jq -r '.results[0].stages[0].metadata | "\(.probability) \(.isClosed)"' <<<"$body")" \
    "appointmentscheduled probability and isClosed"
assert_eq "1.0 true" \
    "$(jq -r '.results[0].stages[5].metadata | "\(.probability) \(.isClosed)"' <<<"$body")" \
    "closedwon is closed with probability 1.0"
assert_eq "0.0 true" \
    "$(jq -r '.results[0].stages[6].metadata | "\(.probability) \(.isClosed)"' <<<"$body")" \
    "closedlost is closed with probability 0.0"
assert_eq "Sales Pipeline false" \
    "$(jq -r '.results[0] | "\(.label) \(.archived)"' <<<"$body")" \
    "default pipeline label"

body=$(api GET /crm/v3/pipelines/deals/enterprise)
assert_eq "200 Enterprise 1" \
    "$(api_status) $(jq -r '"\(.label) \(.displayOrder)"' <<<"$body")" \
    "read the seeded pipeline"
assert_eq "e-lead" "$(jq -r '.stages[0].id' <<<"$body")" "seeded stage id kept"
assert_eq "false" "$(jq -r '.stages[0].metadata.isClosed' <<<"$body")" \
    "isClosed defaults to false"
gen=$(jq -r '.stages[1].id' <<<"$body")
[[ "$gen" =~ ^[0-9]+$ ]] && pass "a stage without id gets a numeric id" ||
    fail "a stage without id gets a numeric id: got '$gen'"
assert_eq "true" "$(jq -r '.stages[1].metadata.isClosed' <<<"$body")" \
    "seeded isClosed true"

body=$(api GET /crm/v3/pipelines/deals/default/stages)
assert_eq "200 7" "$(api_status) $(jq -r '.results | length' <<<"$body")" \
    "list stages of a pipeline"
body=$(api GET /crm/v3/pipelines/deals/default/stages/contractsent)
assert_eq "200 Contract Sent 0.9" \
    "$(api_status) $(jq -r '"\(.label) \(.metadata.probability)"' <<<"$body")" \
    "read one stage"
api GET /crm/v3/pipelines/deals/default/stages/e-lead >/dev/null
assert_eq 404 "$(api_status)" "a stage of another pipeline is not found"
body=$(api GET /crm/v3/pipelines/deals/nope)
assert_eq "404 OBJECT_NOT_FOUND" "$(api_status) $(jq -r .category <<<"$body")" \
    "unknown pipeline"
api GET /crm/v3/pipelines/deals/nope/stages >/dev/null
assert_eq 404 "$(api_status)" "stages of an unknown pipeline"
api GET /crm/v3/pipelines/0-3 >/dev/null
assert_eq 200 "$(api_status)" "deals by object type id"
api GET /crm/v3/pipelines/contacts >/dev/null
assert_eq 400 "$(api_status)" "contacts have no pipelines here"

# Deal writes: the stage must belong to the deal's pipeline.
deal() {
    api POST /crm/v3/objects/deals "{\"properties\": $1}"
}
body=$(deal '{"dealname": "A", "pipeline": "default", "dealstage": "contractsent"}')
assert_eq "201 contractsent" "$(api_status) $(jq -r .properties.dealstage <<<"$body")" \
    "a default stage in the default pipeline"
id=$(jq -r .id <<<"$body")
body=$(deal '{"dealname": "B", "dealstage": "closedwon"}')
assert_eq 201 "$(api_status)" "no pipeline means the default one"
body=$(deal '{"dealname": "C", "pipeline": "enterprise", "dealstage": "e-lead"}')
assert_eq 201 "$(api_status)" "a seeded stage in its own pipeline"
body=$(deal '{"dealname": "D", "pipeline": "default", "dealstage": "e-lead"}')
assert_eq "400 VALIDATION_ERROR" "$(api_status) $(jq -r .category <<<"$body")" \
    "a stage of another pipeline is refused"
msg=$(jq -r .message <<<"$body")
grep -qF 'e-lead is not a valid pipeline stage ID. Valid options are: pipelineId=default : [appointmentscheduled, qualifiedtobuy, presentationscheduled, decisionmakerboughtin, contractsent, closedwon, closedlost]' <<<"$msg" &&
    pass "HubSpot's message lists the pipeline's stages" ||
    fail "HubSpot's message lists the pipeline's stages: $msg"
grep -qF '"error":"INVALID_OPTION","name":"dealstage"' <<<"$msg" &&
    pass "INVALID_OPTION on dealstage" || fail "INVALID_OPTION on dealstage: $msg"
body=$(deal '{"dealname": "E", "pipeline": "nope", "dealstage": "closedwon"}')
assert_eq 400 "$(api_status)" "an unknown pipeline is refused"
grep -qF '"name":"pipeline"' <<<"$(jq -r .message <<<"$body")" &&
    pass "the error names the pipeline" || fail "the error names the pipeline"
body=$(api PATCH "/crm/v3/objects/deals/$id" '{"properties": {"pipeline": "enterprise"}}')
assert_eq 400 "$(api_status)" \
    "moving a deal to a pipeline without its stage is refused"
body=$(api PATCH "/crm/v3/objects/deals/$id" '{"properties": {"pipeline": "enterprise", "dealstage": "e-lead"}}')
assert_eq "200 enterprise e-lead" \
    "$(api_status) $(jq -r '"\(.properties.pipeline) \(.properties.dealstage)"' <<<"$body")" \
    "moving a deal with a stage of the new pipeline"
body=$(api PATCH "/crm/v3/objects/deals/$id" '{"properties": {"dealstage": "closedwon"}}')
assert_eq 400 "$(api_status)" "an update checks against the stored pipeline"
body=$(api POST /crm/v3/objects/deals/batch/create \
    '{"inputs": [{"properties": {"dealname": "F", "dealstage": "closedwon"}}, {"properties": {"dealname": "G", "dealstage": "e-lead"}}]}')
assert_eq 400 "$(api_status)" "batch create refuses a stage of another pipeline"
sandbox_stop

echo '{"pipelines": {"deals": [{"label": "P", "stages": [{"label": "S", "metadata": {"probability": "1.5"}}]}]}}' \
    >"$TEST_TMP/bad.json"
assert_exit 1 "bad pipeline seed refuses to start" \
    timeout 20 "$HSMIGRATE" sandbox --port 0 --seed-file "$TEST_TMP/bad.json"
grep -q 'bad.json: pipelines.deals\[0\].stages\[0\].metadata.probability' \
    "$TEST_TMP/last.err" && pass "seed error names the stage" ||
    fail "seed error names the stage: $(cat "$TEST_TMP/last.err")"

finish
