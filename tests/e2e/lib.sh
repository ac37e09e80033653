# lib.sh: helpers for end-to-end tests. Source it from a tests/e2e/t*.sh
# script; call `finish` last. Every assertion counts one pass or fail.
set -u

HSMIGRATE=${HSMIGRATE:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/asan/hsmigrate}
TEST_NAME=$(basename "$0" .sh)
TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/hsm-$TEST_NAME.XXXXXX")
T_PASSED=0
T_FAILED=0
SANDBOX_PID=""
SANDBOX_URL=""
SANDBOX_TOKEN="test-token"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

pass() {
    T_PASSED=$((T_PASSED + 1))
    echo "ok - $1"
}

fail() {
    T_FAILED=$((T_FAILED + 1))
    echo "not ok - $1" >&2
}

# assert_eq EXPECTED ACTUAL DESCRIPTION
assert_eq() {
    if [ "$1" == "$2" ]; then
        pass "$3"
    else
        fail "$3: expected '$1', got '$2'"
    fi
}

# assert_cmd DESCRIPTION COMMAND...: passes when the command exits 0.
assert_cmd() {
    local desc=$1
    shift
    if "$@" >"$TEST_TMP/last.out" 2>"$TEST_TMP/last.err"; then
        pass "$desc"
    else
        fail "$desc (exit $?): $(tail -n 5 "$TEST_TMP/last.err")"
    fi
}

# assert_exit CODE DESCRIPTION COMMAND...
assert_exit() {
    local want=$1 desc=$2 got
    shift 2
    "$@" >"$TEST_TMP/last.out" 2>"$TEST_TMP/last.err"
    got=$?
    assert_eq "$want" "$got" "$desc (exit code)"
}

# sandbox_start [FLAGS...]: starts a sandbox portal on a free port and
# sets SANDBOX_URL. The sandbox is stopped by finish or on exit.
sandbox_start() {
    local fifo="$TEST_TMP/sandbox.fifo" line
    mkfifo "$fifo"
    "$HSMIGRATE" sandbox --port 0 --token "$SANDBOX_TOKEN" "$@" \
        >"$fifo" 2>"$TEST_TMP/sandbox.err" &
    SANDBOX_PID=$!
    exec 9<"$fifo"
    if ! read -r -t 20 line <&9; then
        echo "sandbox did not start: $(cat "$TEST_TMP/sandbox.err")" >&2
        return 1
    fi
    SANDBOX_URL=${line#listening on }
    # Keep draining its stdout so the sandbox never blocks on a full pipe.
    cat <&9 >"$TEST_TMP/sandbox.out" &
    exec 9<&-
    rm -f "$fifo"
}

# owners_seed EXPORT_DIR OUT: a sandbox seed file whose owners are the
# export's users (User.csv), ids 1000 upward in file order, inactive
# users archived.
owners_seed() {
    python3 "$(dirname "${BASH_SOURCE[0]}")/../../scripts/owners-seed.py" \
        "$1" >"$2"
}

# owners_optional PROJECT_DIR: the project writes records whose user has
# no HubSpot owner without one (owners.unmatched "none"), for tests whose
# portal has no owners and that are about something else.
owners_optional() {
    sed -i 's/^  unmatched: "error"$/  unmatched: "none"/' "$1/hsmigrate.yaml"
    grep -q '^  unmatched: "none"$' "$1/hsmigrate.yaml" ||
        fail "owners_optional: no owners.unmatched in $1/hsmigrate.yaml"
}

# wait_rows SQL N PID: waits until the query on $PROJECT/ledger.db counts
# N rows or more (0), or the process has ended or 30 s passed (1).
wait_rows() {
    local i n
    for i in $(seq 1 600); do
        kill -0 "$3" 2>/dev/null || return 1
        n=$(sqlite3 "$PROJECT/ledger.db" "$1" 2>/dev/null)
        [ "${n:-0}" -ge "$2" ] && return 0
        sleep 0.05
    done
    return 1
}

# assert_oracle DESC EXPORT_DIR: the independent oracle (oracle.py) finds
# the portal equal to what a clean run of the export leaves.
assert_oracle() {
    if python3 "$(dirname "${BASH_SOURCE[0]}")/oracle.py" "$2" "$SANDBOX_URL" \
        "$SANDBOX_TOKEN" >"$TEST_TMP/oracle.out" 2>"$TEST_TMP/oracle.err"; then
        pass "$1"
    else
        fail "$1: $(head -c 1500 "$TEST_TMP/oracle.err")"
    fi
}

# run_to_end NAME: `run --allow-rejects --json` of $PROJECT against the
# sandbox, its summary in $TEST_TMP/NAME.json; passes on exit 0 or 3.
run_to_end() {
    "$HSMIGRATE" run --allow-rejects --dir "$PROJECT" --api-base "$SANDBOX_URL" \
        --json >"$TEST_TMP/$1.json" 2>"$TEST_TMP/$1.err"
    local rc=$?
    [ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] && pass "$1 finished (exit $rc)" ||
        fail "$1: exit $rc $(tail -3 "$TEST_TMP/$1.err")"
}

sandbox_stop() {
    if [ -n "$SANDBOX_PID" ]; then
        kill -TERM "$SANDBOX_PID" 2>/dev/null
        wait "$SANDBOX_PID" 2>/dev/null
        local rc=$?
        SANDBOX_PID=""
        return $rc
    fi
}

# api METHOD PATH [JSON]: a request to the sandbox with the test token.
# Prints the body; the status code goes to $TEST_TMP/status.
api() {
    local method=$1 path=$2 body=${3:-}
    local args=(-s -o "$TEST_TMP/body" -w '%{http_code}' -X "$method"
        -H "Authorization: Bearer $SANDBOX_TOKEN")
    [ -n "$body" ] && args+=(-H 'Content-Type: application/json' -d "$body")
    curl "${args[@]}" "$SANDBOX_URL$path" >"$TEST_TMP/status"
    cat "$TEST_TMP/body"
}

api_status() {
    cat "$TEST_TMP/status"
}

finish() {
    sandbox_stop
    rm -rf "$TEST_TMP"
    echo "$TEST_NAME: $T_PASSED passed, $T_FAILED failed"
    [ "$T_FAILED" -eq 0 ]
    exit $?
}

trap 'sandbox_stop' EXIT
