#!/usr/bin/env bash
# The command line itself: version, help, unknown commands.
. "$(dirname "$0")/lib.sh"

assert_exit 0 "version" "$HSMIGRATE" version
assert_eq "hsmigrate" "$(cut -d' ' -f1 "$TEST_TMP/last.out")" \
    "version names the tool"
assert_exit 0 "help" "$HSMIGRATE" help
assert_exit 2 "unknown command is a usage error" "$HSMIGRATE" frobnicate
grep -q "unknown command 'frobnicate'" "$TEST_TMP/last.err" &&
    pass "unknown command is named" || fail "unknown command is named"
assert_exit 2 "no command is a usage error" "$HSMIGRATE"

# Every subcommand's --help: its own usage on stdout, exit 0.
for cmd in init check run status verify rollback doctor "ledger rebuild"; do
    # shellcheck disable=SC2086
    assert_exit 0 "$cmd --help" "$HSMIGRATE" $cmd --help
    assert_eq "usage: hsmigrate $cmd" \
        "$(head -n 1 "$TEST_TMP/last.out" | cut -c1-$((17 + ${#cmd})))" \
        "$cmd --help prints its usage"
done
assert_exit 0 "ledger --help" "$HSMIGRATE" ledger --help
grep -q "^usage: hsmigrate ledger rebuild" "$TEST_TMP/last.out" &&
    pass "ledger --help names rebuild" || fail "ledger --help names rebuild"

# Usage errors exit 2 with the usage on stderr.
usage_error() { # DESCRIPTION ARGS...
    local desc=$1
    shift
    assert_exit 2 "$desc" "$HSMIGRATE" "$@"
    grep -q "^usage: hsmigrate $1" "$TEST_TMP/last.err" &&
        pass "$desc: usage on stderr" || fail "$desc: usage on stderr"
}
nope="$TEST_TMP/nope"
for cmd in check run status verify rollback; do
    usage_error "$cmd without --dir" $cmd
    grep -q "^hsmigrate: error: --dir is required$" "$TEST_TMP/last.err" &&
        pass "$cmd without --dir: says what is missing" ||
        fail "$cmd without --dir: $(head -1 "$TEST_TMP/last.err")"
    usage_error "$cmd with an operand" $cmd --dir "$nope" extra
    grep -q "^hsmigrate: error: unexpected argument 'extra'$" \
        "$TEST_TMP/last.err" && pass "$cmd with an operand: names it" ||
        fail "$cmd with an operand: $(head -1 "$TEST_TMP/last.err")"
    usage_error "$cmd with an unknown option" $cmd --dir "$nope" --bogus
    grep -q "^hsmigrate: error: unknown or ambiguous option '--bogus'$" \
        "$TEST_TMP/last.err" &&
        pass "$cmd names the unknown option" ||
        fail "$cmd names the unknown option"
done
usage_error "ledger rebuild without --dir" ledger rebuild
usage_error "ledger without a verb" ledger
usage_error "init without --input" init --source salesforce --dir "$nope"
usage_error "doctor with an operand" doctor extra
usage_error "run --dir without its value" run --dir
grep -q "^hsmigrate: error: option '--dir' needs a value$" \
    "$TEST_TMP/last.err" &&
    pass "a missing value is named" || fail "a missing value is named"

# Each command takes only its own options.
usage_error "status takes no --api-base" status --dir "$nope" --api-base x
usage_error "rollback takes no --sandbox-seed" rollback --dir "$nope" \
    --sandbox-seed x
usage_error "doctor takes no --allow-rejects" doctor --allow-rejects
usage_error "rollback --all with --run" rollback --dir "$nope" --all --run 3
grep -q "^hsmigrate: error: --run and --all do not go together$" \
    "$TEST_TMP/last.err" && pass "rollback --all with --run: says why" ||
    fail "rollback --all with --run: $(head -1 "$TEST_TMP/last.err")"

# Values checked as they are read name the option and the value.
usage_error "rollback --run abc" rollback --dir "$nope" --run abc
grep -q "error: --run: expected a run id (a positive number), got 'abc'" \
    "$TEST_TMP/last.err" && pass "a bad --run is named" ||
    fail "a bad --run is named"
usage_error "rollback --run 0" rollback --dir "$nope" --run 0
usage_error "doctor --object foo" doctor --object foo
grep -q "error: --object: expected contacts, companies or deals, got 'foo'" \
    "$TEST_TMP/last.err" && pass "a bad --object is named" ||
    fail "a bad --object is named"

# A command that could not start says why, once, and prints no table of
# zeros; -q leaves errors only; --json puts the short summary on stdout.
assert_exit 2 "run on a missing project" "$HSMIGRATE" run --dir "$nope"
assert_eq "hsmigrate: error: no project in '$nope': run 'hsmigrate init' first" \
    "$(cat "$TEST_TMP/last.err")" "run that cannot start prints the error alone"
for cmd in run rollback doctor "ledger rebuild" status; do
    # shellcheck disable=SC2086
    assert_exit 2 "$cmd --json on a missing project" "$HSMIGRATE" $cmd \
        --json --dir "$nope"
    assert_eq "$cmd|usage|2|true" "$(jq -r '[.command, .status, .exit,
        (.error | test("'"$nope"'"))] | join("|")' "$TEST_TMP/last.out")" \
        "$cmd --json: {command, status, exit, error} on stdout"
    assert_eq "null" "$(jq -c .objects "$TEST_TMP/last.out")" \
        "$cmd --json: no counts of a command that did not start"
done
assert_exit 2 "run -q on a missing project" "$HSMIGRATE" run --dir "$nope" -q
assert_eq "hsmigrate: error: no project in '$nope': run 'hsmigrate init' first" \
    "$(cat "$TEST_TMP/last.err")" "-q leaves the error alone"
assert_exit 2 "run --json on a missing project" "$HSMIGRATE" run --json \
    --dir "$nope"
assert_eq "2" "$(python3 -c 'import json,sys; print(json.load(sys.stdin)["exit"])' \
    <"$TEST_TMP/last.out")" "--json summary on stdout"
# A usage error under --json: one JSON object on stdout that says so,
# wherever --json stands and whatever the parse stopped at.
json_usage() { # COMMAND ERROR ARGS...
    local cmd=$1 want=$2
    shift 2
    assert_exit 2 "$cmd --json: $want" "$HSMIGRATE" "$@"
    assert_eq "$cmd|usage|2|$want" \
        "$(jq -r '[.command, .status, .exit, .error] | join("|")' \
            "$TEST_TMP/last.out")" "$cmd --json: the usage error on stdout"
    assert_eq "1" "$(wc -l <"$TEST_TMP/last.out")" "$cmd --json: one line"
}
for cmd in init check run status verify rollback doctor; do
    json_usage "$cmd" "unknown or ambiguous option '--bogus'" \
        $cmd --json --dir "$nope" --bogus
done
json_usage "ledger rebuild" "--dir is required" ledger rebuild --json
json_usage "ledger rebuild" "unknown ledger subcommand 'rebiuld' (expected rebuild)" \
    ledger rebiuld --json
json_usage status "--dir is required" status --json
json_usage init "--source 'pipedrive' is not supported yet (supported: salesforce)" \
    init --source pipedrive --input "$nope" --dir "$nope" --json
json_usage bogus "unknown command 'bogus'" bogus --json
json_usage status "option '--dir' needs a value" status --json --dir
json_usage check "unexpected argument 'extra'" check --dir "$nope" extra --json
json_usage rollback "--run and --all do not go together" \
    rollback --json --dir "$nope" --all --run 3
json_usage rollback "--run: expected a run id (a positive number), got ''" \
    rollback --dir "$nope" --run= --json
json_usage doctor "--object: expected contacts, companies or deals, got 'foo'" \
    doctor --object foo --json
json_usage rollback "unknown option '-Z'" rollback -Z --json
assert_exit 2 "a usage error without --json" "$HSMIGRATE" status --bogus
assert_eq "0" "$(wc -c <"$TEST_TMP/last.out")" \
    "a usage error without --json prints nothing on stdout"
assert_exit 0 "version --json" "$HSMIGRATE" version --json
assert_eq "version|ok|0" \
    "$(jq -r '[.command, .status, .exit] | join("|")' "$TEST_TMP/last.out")" \
    "version --json says so"
assert_eq "$(jq -r .version "$TEST_TMP/last.out")" \
    "$("$HSMIGRATE" version | cut -d' ' -f2)" "version --json: the same version"

assert_exit 2 "status on a missing ledger" "$HSMIGRATE" status --dir "$nope"
grep -q "no ledger in '$nope'" "$TEST_TMP/last.err" &&
    pass "status names the directory" || fail "status names the directory"

finish
