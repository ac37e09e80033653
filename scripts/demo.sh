#!/usr/bin/env bash
# make demo: rehearse a whole migration of the bundled Salesforce sample
# into a sandbox portal, then read the portal back.
set -eu
cd "$(dirname "$0")/.."

bin=build/hsmigrate
demo=build/demo
sample=examples/salesforce-sample
# The rehearsal portal starts with the sample's sales team as owners
# (two of them deactivated, one missing), as a real portal would.
seed=examples/salesforce-sample-portal.json

# Accepts exit 0, and 3 (finished, some rows rejected and reported).
ok_or_rejects() {
    "$@" || { rc=$?; [ "$rc" -eq 3 ] || exit "$rc"; }
}

rm -rf "$demo"
mkdir -p "$demo"

echo "== hsmigrate init: inspect the export, write the project config"
"$bin" init --source salesforce --input "$sample" --dir "$demo/project"

echo
echo "== hsmigrate check: validate every row against the portal (writes nothing)"
ok_or_rejects "$bin" check --dir "$demo/project" --sandbox "$demo/portal" \
    --sandbox-seed "$seed"

echo
echo "== one sample user, hannah.williams7@northwind-sales.example, has no HubSpot"
echo "   owner, so check rejected her records. Give them to Inês (owners.default)"
echo "   in the project config, and check again"
sed -i 's/^  file: "User.csv"$/&\n  default: "ines.angstrom0@northwind-sales.example"/' \
    "$demo/project/hsmigrate.yaml"
grep -A3 '^owners:' "$demo/project/hsmigrate.yaml"
ok_or_rejects "$bin" check --dir "$demo/project" --sandbox "$demo/portal"

echo
echo "== hsmigrate run: migrate into a sandbox portal"
ok_or_rejects "$bin" run --allow-rejects --dir "$demo/project" --sandbox "$demo/portal"

echo
echo "== hsmigrate run again: a rerun changes nothing"
ok_or_rejects "$bin" run --allow-rejects --dir "$demo/project" --sandbox "$demo/portal"

echo
echo "== hsmigrate verify: read the portal back"
"$bin" verify --dir "$demo/project" --sandbox "$demo/portal"

echo
echo "== hsmigrate status"
"$bin" status --dir "$demo/project"
echo
echo "demo: the project is in $demo/project (reports in $demo/project/reports),"
echo "      the sandbox portal's state in $demo/portal"
