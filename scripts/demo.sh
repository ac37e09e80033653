#!/usr/bin/env bash
# Placeholder demo: start the sandbox and show it answering.
set -eu
echo "demo: the migration is not built yet"
