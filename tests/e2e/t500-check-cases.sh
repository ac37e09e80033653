#!/usr/bin/env bash
# Data-driven cases for `check` and the transforms, one directory each
# under tests/data/check/<case>/:
#   export/*.csv      the Salesforce export (any encoding the reader takes)
#   config.yaml       hsmigrate.yaml, with @EXPORT@ for the export path
#   seed.json         optional: the sandbox portal's seed file (default:
#                     tests/data/check/seed.json)
#   errors.csv        the rows check must write to reports/check-errors.csv
#                     (header left out; compared sorted, whole rows)
#   expect.json       {"exit": N, "summary": {jq path: value, ...},
#                      "run": {"exit": N, "landed": {"contacts": N},
#                              "error_rows": {"contacts": N},
#                              "values": [[object, source id, property,
#                                          value], ...]}}
#                     (error_rows: rows in run's reports/<object>-errors.csv)
#   needs             optional: seed sections the sandbox must support
# With "run", `run --allow-rejects` follows on a fresh portal and the
# values are read back from it; when check finds rejects, a plain `run`
# must refuse first and write nothing.
. "$(dirname "$0")/lib.sh"

# Records of one object in the portal, following list paging.
count_records() {
    local obj=$1 after="" total=0 page
    while :; do
        page=$(api GET "/crm/v3/objects/$obj?limit=100${after:+&after=$after}")
        total=$((total + $(jq '.results | length' <<<"$page")))
        after=$(jq -r '.paging.next.after // empty' <<<"$page")
        [ -n "$after" ] || break
    done
    echo "$total"
}

CASES=$(cd "$(dirname "$0")/../data/check" && pwd)
export HUBSPOT_ACCESS_TOKEN=$SANDBOX_TOKEN

# The sandbox of this build may not serve every seed section yet.
declare -A SUPPORTED
supports() {
    local section=$1 probe=$TEST_TMP/probe.json
    if [ -z "${SUPPORTED[$section]:-}" ]; then
        sandbox_stop
        echo "{\"$section\": {}}" >"$probe"
        [ "$section" = owners ] && echo '{"owners": []}' >"$probe"
        [ "$section" = pipelines ] &&
            echo '{"pipelines": {"deals": []}}' >"$probe"
        SUPPORTED[$section]=no
        if sandbox_start --seed-file "$probe" 2>/dev/null; then
            SUPPORTED[$section]=yes
        fi
        sandbox_stop
        rm -f "$TEST_TMP/sandbox.fifo"
    fi
    [ "${SUPPORTED[$section]}" = yes ]
}

prepare() {
    local dir=$1 proj=$2
    rm -rf "$proj"
    mkdir -p "$proj"
    sed "s|@EXPORT@|$dir/export|g" "$dir/config.yaml" >"$proj/hsmigrate.yaml"
    chmod 600 "$proj/hsmigrate.yaml"
}

start_portal() {
    local dir=$1
    sandbox_stop
    if [ -f "$dir/seed.json" ]; then
        sandbox_start --seed-file "$dir/seed.json"
    else
        sandbox_start --seed-file "$CASES/seed.json"
    fi
}

check_summary() {
    local name=$1 out=$2 expect=$3 path want got
    jq -r '.summary // {} | to_entries[] | "\(.key)\t\(.value | tojson)"' "$expect" |
        while IFS=$'\t' read -r path want; do
            got=$(jq -c "$path" "$out")
            echo "$got" | jq -e --argjson w "$want" '. == $w' >/dev/null &&
                echo "ok" || echo "$name: summary $path: expected $want, got $got"
        done
}

compare_errors() {
    local name=$1 proj=$2 dir=$3
    local actual=$TEST_TMP/actual.csv expected=$TEST_TMP/expected.csv
    tail -n +2 "$proj/reports/check-errors.csv" | sort >"$actual"
    sort "$dir/errors.csv" 2>/dev/null >"$expected"
    if cmp -s "$actual" "$expected"; then
        pass "$name: check-errors.csv rows"
    else
        fail "$name: check-errors.csv rows differ: $(diff "$expected" "$actual" | head -20)"
    fi
}

read_value() {
    local object=$1 sid=$2 prop=$3
    api GET "/crm/v3/objects/$object/$sid?idProperty=salesforce_id&properties=$prop" |
        jq -r ".properties.$prop // \"<none>\""
}

# Rows that would be rejected keep run from starting: nothing written.
run_gated() {
    local name=$1 proj=$2 obj
    "$HSMIGRATE" run --dir "$proj" --api-base "$SANDBOX_URL" --json \
        >"$TEST_TMP/gated.json" 2>"$TEST_TMP/gated.err"
    assert_eq "3" "$?" "$name: run without --allow-rejects refuses"
    for obj in companies contacts deals; do
        assert_eq "0" "$(api GET "/crm/v3/objects/$obj" | jq '.results | length')" \
            "$name: the refused run wrote no $obj"
    done
}

run_case_run() {
    local name=$1 dir=$2 proj=$3 expect=$4 want obj n i row rc
    start_portal "$dir"
    [ "$(jq '.exit' "$expect")" = 3 ] && run_gated "$name" "$proj"
    want=$(jq '.run.exit' "$expect")
    "$HSMIGRATE" run --dir "$proj" --api-base "$SANDBOX_URL" --allow-rejects \
        --json >"$TEST_TMP/run.json" 2>"$TEST_TMP/run.err"
    rc=$?
    assert_eq "$want" "$rc" "$name: run --allow-rejects exit"
    [ "$rc" = "$want" ] || tail -n 3 "$TEST_TMP/run.err" >&2
    for obj in $(jq -r '.run.landed // {} | keys[]' "$expect"); do
        n=$(count_records "$obj")
        assert_eq "$(jq ".run.landed.$obj" "$expect")" "$n" \
            "$name: $obj records in the portal"
    done
    for obj in $(jq -r '.run.error_rows // {} | keys[]' "$expect"); do
        n=$(tail -n +2 "$proj/reports/$obj-errors.csv" | wc -l)
        assert_eq "$(jq ".run.error_rows.$obj" "$expect")" "$n" \
            "$name: rows in run's reports/$obj-errors.csv"
    done
    n=$(jq '.run.values // [] | length' "$expect")
    for ((i = 0; i < n; i++)); do
        row=$(jq -r ".run.values[$i] | @tsv" "$expect")
        IFS=$'\t' read -r obj sid prop want <<<"$row"
        assert_eq "$want" "$(read_value "$obj" "$sid" "$prop")" \
            "$name: $obj $sid $prop"
    done
}

run_case() {
    local dir=$1 name proj expect sec line rc
    name=$(basename "$dir")
    proj=$TEST_TMP/proj-$name
    expect=$dir/expect.json
    if [ -f "$dir/needs" ]; then
        for sec in $(cat "$dir/needs"); do
            if ! supports "$sec"; then
                echo "# $name: skipped, the sandbox has no '$sec' seed section"
                return
            fi
        done
    fi
    prepare "$dir" "$proj"
    start_portal "$dir"
    "$HSMIGRATE" check --dir "$proj" --api-base "$SANDBOX_URL" --json \
        >"$TEST_TMP/check.json" 2>"$TEST_TMP/check.err"
    rc=$?
    assert_eq "$(jq '.exit' "$expect")" "$rc" "$name: check exit"
    [ "$rc" = "$(jq '.exit' "$expect")" ] || tail -n 3 "$TEST_TMP/check.err" >&2
    compare_errors "$name" "$proj" "$dir"
    while read -r line; do
        [ "$line" = ok ] && pass "$name: summary value" || fail "$line"
    done < <(check_summary "$name" "$TEST_TMP/check.json" "$expect")
    assert_eq "0" "$(api GET /crm/v3/objects/contacts | jq '.results | length')" \
        "$name: check wrote nothing"
    if jq -e '.run' "$expect" >/dev/null; then
        run_case_run "$name" "$dir" "$proj" "$expect"
    fi
}

for dir in "$CASES"/*/; do
    [ -f "$dir/expect.json" ] && run_case "${dir%/}"
done
finish
