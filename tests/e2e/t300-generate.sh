#!/usr/bin/env bash
# The sample generator: deterministic, the requested sizes, valid ids,
# references that resolve, and the quirks of real Salesforce exports.
# Files are read with awk, independently of hsmigrate's own CSV reader:
# every value is quoted and no generated value ends a line with a quote,
# so a record ends at `"` + newline and fields split at `","`.
. "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)

# col FILE COLUMN: the values of COLUMN, one per record.
col() {
    LC_ALL=C awk -v want="$2" 'BEGIN { RS = "\"\r?\n"; FS = "\",\"" }
        { sub(/^"/, "", $1) }
        NR == 1 { for (i = 1; i <= NF; i++) if ($i == want) c = i
                  if (!c) { print "no column " want > "/dev/stderr"; exit 1 }
                  next }
        { print $c }' "$1"
}

# bad_ids: prints the lines of stdin that are not 18-character Salesforce
# ids with a correct case-checksum suffix.
bad_ids() {
    LC_ALL=C awk 'BEGIN { A = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345" }
        { id = $0
          if (length(id) != 18 || id ~ /[^0-9A-Za-z]/) { print; next }
          s = ""
          for (c = 0; c < 3; c++) {
              b = 0
              for (j = 0; j < 5; j++)
                  if (substr(id, c * 5 + j + 1, 1) ~ /[A-Z]/) b += 2 ^ j
              s = s substr(A, b + 1, 1)
          }
          if (substr(id, 16, 3) != s) print }'
}

# unresolved FILE COLUMN TARGET: values of COLUMN (ids, 15 or 18 chars,
# nulls skipped) with no row in TARGET whose Id starts with them.
unresolved() {
    col "$3" Id | cut -c1-15 | sort -u >"$TEST_TMP/targets"
    col "$1" "$2" | grep -v -e '^$' -e '^000000000000000AAA$' | cut -c1-15 |
        sort -u | comm -23 - "$TEST_TMP/targets"
}

count() {
    wc -l | tr -d ' '
}

# assert_some DESCRIPTION COUNT: passes when COUNT is above zero.
assert_some() {
    if [ "${2:-0}" -gt 0 ]; then
        pass "$1 ($2)"
    else
        fail "$1: none found"
    fi
}
matching() { grep -c "$@"; }

G="$HSMIGRATE generate salesforce"
A=$TEST_TMP/a
assert_cmd "generate" $G --out "$A" --seed 7 --accounts 40 --contacts 100 \
    --leads 30 --opportunities 40 --users 8
grep -q "wrote $A/Contact.csv: 100 rows" "$TEST_TMP/last.out" &&
    pass "summary names files and rows" || fail "summary names files and rows"
assert_cmd "generate again" $G --out "$TEST_TMP/b" --seed 7 --accounts 40 \
    --contacts 100 --leads 30 --opportunities 40 --users 8
assert_cmd "same seed, identical files" diff -r "$A" "$TEST_TMP/b"
$G --out "$TEST_TMP/c" --seed 8 >/dev/null 2>&1
if diff -rq "$A" "$TEST_TMP/c" >/dev/null; then
    fail "another seed gives other files"
else
    pass "another seed gives other files"
fi

# Sizes and ids.
for spec in Account:40:001 Contact:100:003 Lead:30:00Q Opportunity:40:006 \
    User:8:005; do
    IFS=: read -r obj n prefix <<<"$spec"
    assert_eq "$n" "$(col "$A/$obj.csv" Id | count)" "$obj.csv has $n rows"
    assert_eq "" "$(col "$A/$obj.csv" Id | bad_ids)" "$obj ids are valid"
    assert_eq "0" "$(col "$A/$obj.csv" Id | grep -vc "^$prefix")" \
        "$obj ids start with $prefix"
    assert_eq "$n" "$(col "$A/$obj.csv" Id | sort -u | count)" \
        "$obj ids are unique"
done
assert_some "contact roles written" \
    "$(col "$A/OpportunityContactRole.csv" Id | count)"
assert_eq "" "$(col "$A/OpportunityContactRole.csv" Id | bad_ids)" \
    "contact role ids are valid"
assert_eq "" "$(for f in "$A"/*.csv; do tail -n +2 "$f"; done |
    LC_ALL=C grep -aoE '"[0-9A-Za-z]{18}"' | tr -d '"' | sort -u | bad_ids)" \
    "every 18-character value is a valid id"

# Every reference resolves, whichever id form it uses.
for ref in Contact:AccountId:Account Contact:OwnerId:User \
    Contact:ReportsToId:Contact Account:ParentId:Account \
    Opportunity:AccountId:Account Opportunity:ContactId:Contact \
    Opportunity:OwnerId:User OpportunityContactRole:OpportunityId:Opportunity \
    OpportunityContactRole:ContactId:Contact Lead:ConvertedContactId:Contact \
    Lead:ConvertedAccountId:Account Lead:OwnerId:User; do
    IFS=: read -r obj column target <<<"$ref"
    assert_eq "" "$(unresolved "$A/$obj.csv" "$column" "$A/$target.csv")" \
        "$obj.$column resolves to $target"
done

# Quirks.
NULL_ID=000000000000000AAA
ID15='^[0-9A-Za-z]{15}$'

assert_some "15-character AccountIds" \
    "$(col "$A/Contact.csv" AccountId | matching -E "$ID15")"
assert_eq "0" "$(col "$A/Account.csv" RecordTypeId | grep -vcE "$ID15")" \
    "RecordTypeId is 15 characters, as in real exports"
assert_some "null ids written as $NULL_ID" \
    "$(col "$A/Contact.csv" AccountId | matching -x "$NULL_ID")"
assert_some "deleted contacts" \
    "$(col "$A/Contact.csv" IsDeleted | matching -x 1)"
assert_some "contacts without email" \
    "$(col "$A/Contact.csv" Email | matching -x '')"
assert_some "contacts without account" \
    "$(col "$A/Contact.csv" AccountId | matching -x -e '' -e "$NULL_ID")"

norm() { sed -e 's/^ *//' -e 's/ *$//' | tr 'A-Z' 'a-z' | grep -v '^$'; }
col "$A/Contact.csv" Email | norm | sort >"$TEST_TMP/ce"
col "$A/Lead.csv" Email | norm | sort >"$TEST_TMP/le"
(col "$A/Contact.csv" Email; col "$A/Lead.csv" Email) >"$TEST_TMP/raw"
assert_some "duplicate emails among contacts" \
    "$(uniq -d "$TEST_TMP/ce" | count)"
assert_some "duplicate emails among leads" "$(uniq -d "$TEST_TMP/le" | count)"
assert_some "emails shared by leads and contacts" \
    "$(sort -u "$TEST_TMP/le" | comm -12 - <(sort -u "$TEST_TMP/ce") | count)"
# Generated addresses are lowercase: a capital marks a retyped duplicate.
assert_some "emails differing in case" \
    "$(matching -E '^[^@]*[A-Z][^@]*@' "$TEST_TMP/raw")"
assert_some "emails with stray spaces" "$(matching '^ .* $' "$TEST_TMP/raw")"

live_opps=$(col "$A/Opportunity.csv" IsDeleted | matching -x 0)
with_roles=$(col "$A/OpportunityContactRole.csv" OpportunityId | sort -u |
    count)
assert_some "opportunities without contact roles" \
    "$((live_opps - with_roles))"
inactive=$(paste -d' ' <(col "$A/User.csv" Id) <(col "$A/User.csv" IsActive) |
    awk '$2 == "0" { print substr($1, 1, 15) }')
assert_some "inactive users" "$(printf '%s' "$inactive" | grep -c .)"
assert_some "records owned by inactive users" \
    "$(col "$A/Contact.csv" OwnerId | cut -c1-15 | matching -Fx "$inactive")"
assert_some "converted leads" "$(col "$A/Lead.csv" IsConverted | matching -x 1)"
assert_some "single-select values with ';'" \
    "$(col "$A/Account.csv" Industry | matching ';')"
assert_some "rich text starting with NUL" \
    "$(cat "$A"/*.csv | LC_ALL=C grep -caP '"\x00<p>')"
records=$(col "$A/Contact.csv" Id | count)
lines=$(wc -l <"$A/Contact.csv")
[ "$lines" -gt $((records + 1)) ] && pass "quoted newlines in values" ||
    fail "no quoted newline"
assert_eq "$((records + 1))" "$(grep -c $'"\r$' "$A/Contact.csv")" \
    "Contact.csv ends records with CRLF"
assert_eq "0" "$(grep -c $'\r' "$A/Account.csv")" "Account.csv uses LF"
LC_ALL=C grep -q $'\xc3' "$A/Contact.csv" && pass "UTF-8 accents" ||
    fail "no UTF-8 accent"

# Latin-1: the same text as single bytes.
L=$TEST_TMP/latin1
assert_cmd "generate latin1" $G --out "$L" --seed 7 --encoding latin1
assert_eq "0" "$(cat "$L"/*.csv | LC_ALL=C grep -c $'\xc3[\x80-\xbf]')" \
    "latin1 export has no UTF-8 sequences"
assert_some "latin1 export has ü as the byte 0xFC" \
    "$(cat "$L"/*.csv | LC_ALL=C grep -c $'M\xfcller')"
assert_eq "$(col "$A/Contact.csv" Id)" "$(col "$L/Contact.csv" Id)" \
    "encoding changes bytes, not rows"

# The committed sample is what its documented command produces.
cmdline=$(grep -o 'hsmigrate generate salesforce[^`]*' \
    "$ROOT/examples/README.md" | head -n 1)
read -r -a words <<<"${cmdline#hsmigrate }"
for i in "${!words[@]}"; do
    [ "${words[$i]}" == "examples/salesforce-sample" ] &&
        words[$i]=$TEST_TMP/sample
done
assert_cmd "documented sample command runs" "$HSMIGRATE" "${words[@]}"
assert_cmd "committed sample matches its command" \
    diff -r "$ROOT/examples/salesforce-sample" "$TEST_TMP/sample"

# Usage errors.
assert_exit 2 "no --out" $G
assert_exit 2 "unknown source" "$HSMIGRATE" generate pipedrive \
    --out "$TEST_TMP/x"
assert_exit 2 "bad encoding" $G --out "$TEST_TMP/x" --encoding ebcdic
assert_exit 2 "negative count" $G --out "$TEST_TMP/x" --accounts -1
assert_exit 2 "records without users" $G --out "$TEST_TMP/x" --users 0

finish
