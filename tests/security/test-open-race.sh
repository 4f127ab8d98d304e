#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Attack: a symlink is flipped with renameat2(RENAME_EXCHANGE), in a loop,
# between a regular executable and a FIFO whose writer waits for a reader,
# while sealexec opens that name 300 times: as the payload, as a --file and
# through a $PATH search.
# Expected: sealexec never opens the FIFO (its writer never wakes up) and
# never hangs; each run either runs the real file or is refused because the
# name was a FIFO when it was resolved.
. "$(dirname "$0")/lib.sh"
: "${ATTACK:?ATTACK must point at sealexec-attack}"

ar=
is_root && ar=--allow-root
D=$WORK/d
mkdir "$D"
cp "$PROBE" "$D/real"
chmod 755 "$D/real"
mkfifo "$D/fifo"
ln -s real "$D/prog"
ln -s fifo "$D/other"

# The witness counts every open of the FIFO that is more than an O_PATH
# lookup (inotify IN_OPEN, queued by the opener's own system call); a writer
# waits on it too, as a program feeding a FIFO would.
"$ATTACK" watch-open "$D/fifo" >"$WORK/witness" &
witness=$!
(exec 3>"$D/fifo") &
writer=$!
i=0
while [ "$i" -lt 100 ] && ! grep -q watching "$WORK/witness"; do
        sleep 0.1
        i=$((i + 1))
done
grep -q watching "$WORK/witness" && pass || fail "setup: the witness did not start"
"$ATTACK" exchange "$D/prog" "$D/other" &
swapper=$!

ran=0 refused=0 i=0
while [ "$i" -lt 300 ] && [ "$failures" = 0 ]; do
        case $((i % 3)) in
        0)
                run "$SEALEXEC" run $ar -- "$D/prog" argv
                what=payload want_rc=126 needle="payload '$D/prog': not a regular file (fifo)"
                ;;
        1)
                run "$SEALEXEC" run $ar --file "c=$D/prog" -- "$PROBE" argv
                what=--file want_rc=125 needle="file '$D/prog': not a regular file (fifo)"
                ;;
        2)
                run env PATH="$D:/usr/bin:/bin" "$SEALEXEC" run $ar -- prog argv
                what='$PATH' want_rc=126 needle="payload '$D/prog': not a regular file (fifo)"
                ;;
        esac
        if [ "$rc" = 0 ] && printf '%s\n' "$out" | grep -qx 'argv\[1\]=argv'; then
                ran=$((ran + 1))
        elif [ "$rc" = "$want_rc" ] && printf '%s' "$err" | grep -qF -- "$needle"; then
                refused=$((refused + 1))
        else
                fail "run $i ($what): neither the real file ran nor a FIFO refusal"
        fi
        i=$((i + 1))
done
kill "$swapper"
wait "$swapper" 2>/dev/null
[ "$((ran + refused))" = 300 ] && pass || fail "only $((ran + refused)) of 300 runs were clean"
printf '%d runs of the real file, %d refused as a FIFO\n' "$ran" "$refused"

# The witness works: this one open (O_RDWR does not block) is counted, and
# lets the writer go.
exec 5<>"$D/fifo"
exec 5>&-
wait "$writer"
kill "$witness"
wait "$witness"
n=$(sed -n 's/^opens=//p' "$WORK/witness")
[ "$n" = 1 ] && pass || fail "the FIFO was opened $((n - 1)) time(s) by sealexec (witness: '$n')"

finish
