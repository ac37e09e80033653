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
ocr=$(col "$A/OpportunityContactRole.csv" Id | count)
[ "$ocr" -gt 0 ] && pass "contact roles written ($ocr)" || fail "no contact roles"
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
n15=$(col "$A/Contact.csv" AccountId | grep -cE '^[0-9A-Za-z]{15}$')
[ "$n15" -gt 0 ] && pass "15-character AccountIds ($n15)" ||
    fail "no 15-character AccountId"
assert_eq "0" "$(col "$A/Account.csv" RecordTypeId | grep -vcE '^[0-9A-Za-z]{15}$')" \
    "RecordTypeId is 15 characters, as in real exports"
[ "$(col "$A/Contact.csv" AccountId | grep -c '^000000000000000AAA$')" -gt 0 ] &&
    pass "null ids written as 000000000000000AAA" || fail "no null ids"
[ "$(col "$A/Contact.csv" IsDeleted | grep -c '^1$')" -gt 0 ] &&
    pass "deleted contacts" || fail "no deleted contacts"
[ "$(col "$A/Contact.csv" Email | grep -c '^$')" -gt 0 ] &&
    pass "contacts without email" || fail "no contact without email"
[ "$(col "$A/Contact.csv" AccountId | grep -c -e '^$' -e '^000000000000000AAA$')" -gt 0 ] &&
    pass "contacts without account" || fail "no contact without account"

norm() { sed -e 's/^ *//' -e 's/ *$//' | tr 'A-Z' 'a-z' | grep -v '^$'; }
col "$A/Contact.csv" Email | norm | sort >"$TEST_TMP/ce"
col "$A/Lead.csv" Email | norm | sort >"$TEST_TMP/le"
[ -n "$(uniq -d "$TEST_TMP/ce")" ] && pass "duplicate emails among contacts" ||
    fail "no duplicate email among contacts"
[ -n "$(sort -u "$TEST_TMP/le" | comm -12 - <(sort -u "$TEST_TMP/ce"))" ] &&
    pass "emails shared by leads and contacts" || fail "no lead/contact email overlap"
[ "$(cat "$A/Contact.csv" "$A/Lead.csv" | grep -cE '"[^"@]*[A-Z][^"@]*@[^"]*\.(EXAMPLE|[Ee]xample)')" -gt 0 ] &&
    pass "duplicate emails differ in case" || fail "no email differing in case"
[ "$( (col "$A/Contact.csv" Email; col "$A/Lead.csv" Email) | grep -c '^ .* $')" -gt 0 ] &&
    pass "emails with stray whitespace" || fail "no email with whitespace"

live_opps=$(col "$A/Opportunity.csv" IsDeleted | grep -c '^0$')
with_roles=$(col "$A/OpportunityContactRole.csv" OpportunityId | sort -u | count)
[ "$with_roles" -lt "$live_opps" ] && pass "opportunities without contact roles" ||
    fail "every opportunity has contact roles"
inactive=$(paste -d' ' <(col "$A/User.csv" Id) <(col "$A/User.csv" IsActive) |
    awk '$2 == "0" { print substr($1, 1, 15) }')
[ -n "$inactive" ] && pass "inactive users" || fail "no inactive user"
owned=$(col "$A/Contact.csv" OwnerId | cut -c1-15 | grep -cFx "$inactive")
[ "$owned" -gt 0 ] && pass "records owned by inactive users" ||
    fail "no record owned by an inactive user"
[ "$(col "$A/Lead.csv" IsConverted | grep -c '^1$')" -gt 0 ] &&
    pass "converted leads" || fail "no converted lead"
grep -q '"Food; drink; tobacco"' "$A/Account.csv" &&
    pass "single-select values with ';'" || fail "no Industry with ';'"
[ "$(LC_ALL=C grep -caP '"\x00<p>' "$A"/*.csv | awk -F: '{ s += $2 } END { print s }')" -gt 0 ] &&
    pass "rich text starting with NUL" || fail "no NUL-prefixed rich text"
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
LC_ALL=C grep -q $'M\xfcller' "$L"/*.csv && pass "latin1 export has ü as 0xFC" ||
    fail "latin1 export lacks 0xFC"
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
assert_exit 2 "unknown source" "$HSMIGRATE" generate pipedrive --out "$TEST_TMP/x"
assert_exit 2 "bad encoding" $G --out "$TEST_TMP/x" --encoding ebcdic
assert_exit 2 "negative count" $G --out "$TEST_TMP/x" --accounts -1
assert_exit 2 "records without users" $G --out "$TEST_TMP/x" --users 0

finish
