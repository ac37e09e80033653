#!/usr/bin/env bash
# Runs each cmocka unit test under ASan/UBSan, then under valgrind.
set -u
passed=0
failed=0
for t in "$@"; do
    if build/asan/tests/"$t" >"build/asan/tests/$t.log" 2>&1; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL (asan): $t" >&2
        tail -n 30 "build/asan/tests/$t.log" >&2
    fi
    if command -v valgrind >/dev/null 2>&1; then
        if valgrind -q --error-exitcode=99 --leak-check=full \
            --errors-for-leak-kinds=definite build/rel/tests/"$t" \
            >"build/rel/tests/$t.log" 2>&1; then
            passed=$((passed + 1))
        else
            failed=$((failed + 1))
            echo "FAIL (valgrind): $t" >&2
            tail -n 30 "build/rel/tests/$t.log" >&2
        fi
    fi
done
echo "unit: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
