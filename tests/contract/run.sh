#!/usr/bin/env bash
# Contract suite: drives the sandbox portal with HubSpot's official Node
# client (@hubspot/api-client, pinned in package-lock.json) and checks every
# response body against the client's models. Each test file starts its own
# sandbox from $HSMIGRATE on a free loopback port and stops it at the end.
#
# Usage: tests/contract/run.sh [TEST_FILE...]
# Ends with node's TAP summary and a line "contract: N passed, N failed".
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here" || exit 1

HSMIGRATE=${HSMIGRATE:-$here/../../build/asan/hsmigrate}
export HSMIGRATE
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "contract: error: node and npm are needed (Debian: nodejs npm)" >&2
    echo "contract: 0 passed, 1 failed"
    exit 1
fi

# A bare machine has no node_modules: install exactly what the lock pins.
if [ ! -f node_modules/@hubspot/api-client/package.json ]; then
    if ! npm ci --no-audit --no-fund --loglevel=error >npm-ci.log 2>&1; then
        cat npm-ci.log >&2
        echo "contract: error: npm ci failed" >&2
        echo "contract: 0 passed, 1 failed"
        exit 1
    fi
    rm -f npm-ci.log
fi

if [ $# -gt 0 ]; then
    files=("$@")
else
    files=(test/*.test.js)
fi

log=$(mktemp "${TMPDIR:-/tmp}/hsm-contract.XXXXXX")
trap 'rm -f "$log"' EXIT

# One file at a time: each starts an ASan-built sandbox, and the machine
# is shared.
node --test --test-reporter=tap --test-concurrency=1 "${files[@]}" \
    2>&1 | tee "$log"
rc=${PIPESTATUS[0]}

count() {
    local n
    n=$(grep -E "^# $1 [0-9]+$" "$log" | tail -n 1 | awk '{print $3}')
    echo "${n:-0}"
}
passed=$(count pass)
failed=$(count fail)
skipped=$(count skipped)
cancelled=$(count cancelled)
failed=$((failed + cancelled))
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
    failed=1
fi
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
    echo "contract: error: no test ran" >&2
    failed=1
fi

echo "contract: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
