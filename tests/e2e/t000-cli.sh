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

finish
