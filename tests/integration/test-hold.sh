#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# sealexec hold + run --hold: a holder on a socket in $WORK (bounded
# lifetime, killed on exit) hands one sealed copy to every launch; launches
# fall back to a private copy (with a notice) or fail under --hold=require
# when it cannot serve; bad payloads are refused as without it.
. "$(dirname "$0")/lib.sh"

SOCK=$WORK/hold.sock
HOLDER=
cleanup() {
        [ -n "$HOLDER" ] && kill "$HOLDER" 2>/dev/null
        [ -n "${SLEEPERS-}" ] && kill $SLEEPERS 2>/dev/null
        wait 2>/dev/null
        rm -rf "$WORK"
}
trap cleanup EXIT

cp "$PROBE" "$WORK/probe"
cp /bin/sleep "$WORK/sleep"
chmod 755 "$WORK/probe" "$WORK/sleep"
digest="sha256:$(sha256sum "$WORK/probe" | cut -d' ' -f1)"

timeout -k 5 120 "$SEALEXEC" hold --socket "$SOCK" --max-bytes 64M >"$WORK/holder.log" 2>&1 &
HOLDER=$!
i=0
while [ ! -S "$SOCK" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
[ -S "$SOCK" ] || { fail "holder did not start: $(cat "$WORK/holder.log")"; finish; }

# The payload runs from the holder's sealed memfd, with every seal.
se run --hold "$SOCK" -- "$WORK/probe" status exit:3
expect_rc 3 "run --hold"
expect_value exe_is_memfd 1
expect_seals exe_seals
[ -z "$err" ] && pass || fail "no notice expected when the holder serves"

# --digest is checked against the holder's hash: right runs, wrong is refused.
se run --hold "$SOCK" --hold=require --digest "$digest" -- "$WORK/probe" exit:0
expect_rc 0 "right digest through the holder"
wrong=sha256:$(printf '%064d' 0)
se run --hold "$SOCK" --digest "$wrong" -- "$WORK/probe" exit:0
expect_rc 125 "wrong digest through the holder"
expect_err "digest mismatch"

# Two running launches share one memfd (the same inode behind /proc/PID/exe).
allow=
is_root && allow=--allow-root
SLEEPERS=
for n in 1 2; do
        "$SEALEXEC" run $allow --hold "$SOCK" --hold=require -- "$WORK/sleep" 60 </dev/null &
        SLEEPERS="$SLEEPERS $!"
done
inodes=
for pid in $SLEEPERS; do
        i=0
        while ! readlink "/proc/$pid/exe" 2>/dev/null | grep -q '^/memfd:' && [ $i -lt 200 ]; do
                sleep 0.05
                i=$((i + 1))
        done
        inodes="$inodes $(stat -L -c %i "/proc/$pid/exe" 2>/dev/null)"
done
set -- $inodes
if [ $# -eq 2 ] && [ "$1" = "$2" ]; then pass; else fail "launches do not share one memfd: inodes '$inodes'"; fi
kill $SLEEPERS 2>/dev/null
wait $SLEEPERS 2>/dev/null
SLEEPERS=

# The environment variable alone turns the holder on.
SEALEXEC_HOLD_SOCKET=$SOCK se run -- "$WORK/probe" exit:4
expect_rc 4 "SEALEXEC_HOLD_SOCKET"
[ -z "$err" ] && pass || fail "no notice expected with SEALEXEC_HOLD_SOCKET"

# Status: counters, and the entry (we are the holder's own user, or root).
se hold --status --socket "$SOCK"
expect_rc 0 "hold --status"
hits=$(printf '%s\n' "$out" | sed -n 's/^hits: //p')
[ "${hits:-0}" -ge 3 ] && pass || fail "expected at least 3 hits, got '$hits'"
printf '%s\n' "$out" | grep -qF "$WORK/probe" && pass || fail "entry for $WORK/probe not listed"
se hold --status --json --socket "$SOCK"
expect_rc 0 "hold --status --json"
printf '%s' "$out" | grep -q '"entries": 2' && pass || fail "expected 2 entries in JSON"

# Unreachable holder: a private copy and a one-line notice, or 125 under require.
se run --hold "$WORK/none.sock" -- "$WORK/probe" exit:5
expect_rc 5 "fallback to a private copy"
expect_err "notice: holder not used"
[ "$(printf '%s\n' "$err" | wc -l)" = 1 ] && pass || fail "notice is not one line"
marker=$WORK/ran
printf '#!/bin/sh\ntouch "%s"\n' "$marker" >"$WORK/mark.sh"
chmod 755 "$WORK/mark.sh"
se run --hold "$WORK/none.sock" --hold=require -- "$WORK/mark.sh"
expect_rc 125 "--hold=require without a holder"
expect_err "cannot connect"
[ ! -e "$marker" ] && pass || fail "payload ran without its required holder"

# Bad payloads are refused by the client's own open, holder or not.
mkfifo "$WORK/fifo"
se run --hold "$SOCK" -- "$WORK/fifo"
expect_rc 126 "FIFO payload"
expect_err "not a regular file (fifo)"
se run --hold "$SOCK" -- "$WORK"
expect_rc 126 "directory payload"
se run --hold "$SOCK" -- "$WORK/missing"
expect_rc 127 "missing payload"
se run --hold "$SOCK" --fd 0 -- x
expect_rc 125 "--hold with --fd"
expect_err "--hold and --fd exclude each other"
se run --hold nosuch -- "$WORK/probe"
expect_rc 125 "--hold with neither a path nor a word"

# A file the holder may not keep (larger than --max-bytes): a private copy.
head -c $((70 * 1024 * 1024)) /dev/zero >>"$WORK/big" && cat "$WORK/probe" "$WORK/big" >"$WORK/bigprobe"
chmod 755 "$WORK/bigprobe"
se run --hold "$SOCK" -- "$WORK/bigprobe" exit:6
expect_rc 6 "payload larger than the holder keeps"
expect_err "more than the holder keeps"

# A changed file is a new version: the next launch runs the new content.
printf '#!/bin/sh\necho one\n' >"$WORK/ver.sh"
chmod 755 "$WORK/ver.sh"
se run --hold "$SOCK" --hold=require -- "$WORK/ver.sh"
expect_line one
printf '#!/bin/sh\necho two\n' >"$WORK/ver.sh"
se run --hold "$SOCK" --hold=require -- "$WORK/ver.sh"
expect_line two "the rewritten file"

# The holder survived all of it and stops cleanly on SIGTERM.
kill -0 "$HOLDER" 2>/dev/null && pass || fail "holder died: $(cat "$WORK/holder.log")"
# Two SIGTERMs at once (as when timeout(1) signals the process and then its
# group): the second must not kill the holder on its way out. Sent to the
# holder itself ($HOLDER is the timeout wrapper), so nothing else in the
# test's process group is signalled.
holder_pid=$(pgrep -P "$HOLDER" 2>/dev/null | head -n 1)
if [ -n "$holder_pid" ]; then
        kill -TERM "$holder_pid" 2>/dev/null
        kill -TERM "$holder_pid" 2>/dev/null
else
        kill "$HOLDER"
fi
wait "$HOLDER"
rc=$?
expect_rc 0 "holder exit on SIGTERM"
[ ! -e "$SOCK" ] && pass || fail "holder left its socket behind"
HOLDER=
finish
