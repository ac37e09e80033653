#!/usr/bin/env bash
# Fails when a C file under src/ or tests/unit/ is not clang-formatted.
set -u
command -v clang-format >/dev/null 2>&1 || {
    echo "format-check: clang-format not installed; skipped" >&2
    exit 0
}
bad=0
while IFS= read -r f; do
    if ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
        echo "format-check: not formatted: $f (run 'make format')" >&2
        bad=1
    fi
done < <(find src tests/unit -name '*.[ch]' | sort)
exit $bad
