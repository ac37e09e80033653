#!/usr/bin/env bash
# Runs every tests/e2e/t*.sh and sums their counts.
set -u
cd "$(dirname "$0")"
passed=0
failed=0
for t in t*.sh; do
    [ -f "$t" ] || continue
    out=$(bash "$t" 2>&1)
    rc=$?
    line=$(printf '%s\n' "$out" | tail -n 1)
    p=$(printf '%s' "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
    f=$(printf '%s' "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
    if [ -z "$p" ]; then
        p=0
        f=1
    fi
    [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$f" -ne 0 ]; then
        echo "FAIL: $t" >&2
        printf '%s\n' "$out" | grep -v '^ok - ' | tail -n 40 >&2
    else
        echo "$line"
    fi
done
echo "e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
