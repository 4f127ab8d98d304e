#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Attack: while sealexec copies a large payload, a writer rewrites its last
# 16 MiB alternately with 'B' and 'A' (one write(2) each time) and puts the
# original mtime back with futimens() after each, so size and mtime never
# change. (The intermediate states of a rewrite made of several writes are
# real contents of the file; SECURITY.md says what only --digest covers.)
# Expected: no torn copy is ever accepted: each run either executes one whole
# version (the payload writes its own /proc/self/exe, whose SHA-256 is that
# of the all-'A' or the all-'B' file) or is refused (125) as changed while it
# was copied.
. "$(dirname "$0")/lib.sh"
: "${ATTACK:?ATTACK must point at sealexec-attack}"

ar=
is_root && ar=--allow-root
pad=16777216
offset=$(stat -c %s "$ATTACK")
for v in A B; do
        { cat "$ATTACK" && head -c "$pad" /dev/zero | tr '\0' "$v"; } >"$WORK/big-$v"
done
sum_a=$(sha256sum <"$WORK/big-A" | cut -d' ' -f1)
sum_b=$(sha256sum <"$WORK/big-B" | cut -d' ' -f1)
rm "$WORK/big-B"
mv "$WORK/big-A" "$WORK/big"
chmod 755 "$WORK/big"

# The file runs as it is.
timeout -k 5 60 "$SEALEXEC" run $ar -- "$WORK/big" cat-exe >"$WORK/exe" 2>"$WORK/.err"
rc=$? out= err=$(cat "$WORK/.err")
expect_rc 0 "setup: the padded payload runs"
[ "$(sha256sum <"$WORK/exe" | cut -d' ' -f1)" = "$sum_a" ] && pass || fail "setup: digest"

"$ATTACK" rewrite "$WORK/big" "$offset" >"$WORK/rounds" &
writer=$!
# Wait (bounded) until the writer has completed a rewrite.
i=0
while [ "$i" -lt 300 ] && ! grep -q rewritten "$WORK/rounds"; do
        sleep 0.1
        i=$((i + 1))
done
grep -q rewritten "$WORK/rounds" && pass || fail "setup: the writer never completed a rewrite"

whole=0 refused=0 i=0
while [ "$i" -lt 40 ] && [ "$failures" = 0 ]; do
        timeout -k 5 60 "$SEALEXEC" run $ar -- "$WORK/big" cat-exe >"$WORK/exe" 2>"$WORK/.err"
        rc=$? out= err=$(cat "$WORK/.err")
        if [ "$rc" = 0 ]; then
                sum=$(sha256sum <"$WORK/exe" | cut -d' ' -f1)
                if [ "$sum" = "$sum_a" ] || [ "$sum" = "$sum_b" ]; then
                        whole=$((whole + 1))
                else
                        fail "run $i: a torn copy ran (sha256 $sum)"
                fi
        elif [ "$rc" = 125 ] && printf '%s' "$err" | grep -qF "changed while it was copied"; then
                refused=$((refused + 1))
        else
                fail "run $i: unexpected outcome"
        fi
        i=$((i + 1))
done
kill "$writer"
wait "$writer" 2>/dev/null
rounds=$(grep -c rewritten "$WORK/rounds")
printf '%d runs of a whole version, %d refused, %d rewrites\n' "$whole" "$refused" "$rounds"
[ "$((whole + refused))" = 40 ] && pass || fail "only $((whole + refused)) of 40 runs were clean"

finish
