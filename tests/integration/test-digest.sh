#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# --digest: the sealed copy must have the given SHA-256, or nothing runs.
. "$(dirname "$0")/lib.sh"

cp "$PROBE" "$WORK/probe"
expected="sha256:$(sha256sum "$WORK/probe" | cut -d' ' -f1)"

se digest "$WORK/probe"
expect_rc 0 "sealexec digest"
[ "$out" = "$expected  $WORK/probe" ] && pass || fail "digest line '$out' != '$expected  $WORK/probe'"

se run --digest "$expected" -- "$WORK/probe" exit:7
expect_rc 7 "right digest runs"

upper=$(printf '%s' "$expected" | sed 's/^sha256://' | tr a-f A-F)
se run --digest "sha256:$upper" -- "$WORK/probe" exit:0
expect_rc 0 "hex in upper case"

wrong=sha256:$(printf '%s' "$expected" | sed 's/^sha256://' | tr 0-9a-f 1-9a-f0)
marker="$WORK/ran"
printf '#!/bin/sh\ntouch "%s"\n' "$marker" >"$WORK/mark.sh"
chmod 755 "$WORK/mark.sh"
se run --digest "$wrong" -- "$WORK/mark.sh"
expect_rc 125 "wrong digest"
expect_err "digest mismatch"
[ ! -e "$marker" ] && pass || fail "payload ran despite a wrong digest"

for malformed in sha256: md5:d41d8cd98f00b204e9800998ecf8427e "sha256:$(printf '%063d' 0)" \
        "sha256:$(printf 'g%063d' 0)" "$(printf '%064d' 0)"; do
        se run --digest "$malformed" -- "$WORK/mark.sh"
        expect_rc 125 "malformed digest '$malformed'"
        expect_err "malformed digest"
done
[ ! -e "$marker" ] && pass || fail "payload ran despite a malformed digest"

finish
