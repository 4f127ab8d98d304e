#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Benchmark of the holder (issue #11), one run, figures for bench/results/hold.md:
#   1. memory: 20 running instances of a 100 MB static payload (sleeper padded
#      with random bytes) through the holder, against 20 private copies:
#      increase of Shmem (/proc/meminfo) and summed PSS (smaps_rollup);
#   2. warm launch (hyperfine -N): tiny and the 100 MB payload through the
#      holder, the 100 MB one with --digest, and the 100 MB one copied privately;
#   3. warm requests per second: two client processes (the 2 cores), each
#      connecting anew, passing its descriptor and receiving the sealed memfd.
# Usage: bench/hold.sh BUILD_DIR (as root). Prints a Markdown table.
set -euo pipefail
build=${1:?usage: bench/hold.sh BUILD_DIR}
SE=$(realpath "$build/cli/sealexec")
src=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d /tmp/sealexec-bench-hold.XXXXXX)
HOLDER=
PIDS=
cleanup() {
        [ -n "$PIDS" ] && kill $PIDS 2>/dev/null || true
        [ -n "$HOLDER" ] && kill "$HOLDER" 2>/dev/null || true
        wait 2>/dev/null || true
        rm -rf "$WORK"
}
trap cleanup EXIT
RUN=("$SE" run --allow-root --profile none)

cc -static -O2 -o "$WORK/tiny" "$src/tiny.c"
cc -static -O2 -o "$WORK/sleeper" "$src/sleeper.c"
head -c $((100 * 1024 * 1024)) /dev/urandom >"$WORK/pad"
cat "$WORK/tiny" "$WORK/pad" >"$WORK/big"
cat "$WORK/sleeper" "$WORK/pad" >"$WORK/bigsleeper"
chmod 755 "$WORK/big" "$WORK/bigsleeper"
rm "$WORK/pad"
SOCK=$WORK/hold.sock
timeout 900 "$SE" hold --socket "$SOCK" --max-bytes 1G &
HOLDER=$!
while [ ! -S "$SOCK" ]; do sleep 0.05; done

shmem() { awk '/^Shmem:/ { print $2 }' /proc/meminfo; }
pss_sum() {
        local t=0 p
        for p in $PIDS; do
                t=$((t + $(awk '/^Pss:/ { print $2 }' "/proc/$p/smaps_rollup")))
        done
        echo $t
}
# instances MODE: 20 sleepers, each waited for ("ready"); prints "shmem_kb pss_kb".
instances() {
        local before after i fifo=$WORK/ready
        sync
        before=$(shmem)
        PIDS=
        for i in $(seq 20); do
                if [ "$1" = hold ]; then
                        "${RUN[@]}" --hold "$SOCK" --hold=require -- "$WORK/bigsleeper" 120 >"$WORK/out.$i" &
                elif [ "$1" = private ]; then
                        "${RUN[@]}" -- "$WORK/bigsleeper" 120 >"$WORK/out.$i" &
                else
                        "$WORK/bigsleeper" 120 >"$WORK/out.$i" &
                fi
                PIDS="$PIDS $!"
        done
        for i in $(seq 20); do
                until grep -q ready "$WORK/out.$i" 2>/dev/null; do sleep 0.05; done
        done
        after=$(shmem)
        echo "$((after - before)) $(pss_sum)"
        kill $PIDS
        wait $PIDS 2>/dev/null || true
        PIDS=
}
read -r plain_shmem plain_pss < <(instances plain)
read -r hold_shmem hold_pss < <(instances hold)
read -r priv_shmem priv_pss < <(instances private)
copy_kb=$(($(stat -c %s "$WORK/bigsleeper") / 1024))

# Warm launches.
"${RUN[@]}" --hold "$SOCK" -- "$WORK/tiny"
"${RUN[@]}" --hold "$SOCK" -- "$WORK/big"
hf() {
        hyperfine -N --style none --runs "$1" --warmup 10 --export-json "$WORK/hf.json" "$2" >/dev/null 2>&1
        python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.2f" % (r["median"]*1000))' "$WORK/hf.json"
}
digest=$("$SE" digest "$WORK/big" | cut -d' ' -f1)
t_tiny=$(hf 300 "${RUN[*]} --hold $SOCK --hold=require -- $WORK/tiny")
t_big=$(hf 300 "${RUN[*]} --hold $SOCK --hold=require -- $WORK/big")
t_digest=$(hf 300 "${RUN[*]} --hold $SOCK --hold=require --digest $digest -- $WORK/big")
t_private=$(hf 30 "${RUN[*]} -- $WORK/big")
t_private_tiny=$(hf 300 "${RUN[*]} -- $WORK/tiny")

# Warm requests per second: raw protocol, one connection per request.
cat >"$WORK/req.py" <<'PY'
import os, socket, struct, sys, time
sock, path, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
name = b"big"
req = b"SXH1" + bytes([1, 0]) + struct.pack("<HQ", len(name), 0) + name
fd = os.open(path, os.O_RDONLY)
t = time.monotonic()
for _ in range(n):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.connect(sock)
    socket.send_fds(s, [req], [fd])
    msg, fds, flags, addr = socket.recv_fds(s, 70000, 1)
    if len(fds) != 1 or struct.unpack_from("<i", msg, 8)[0] != 0:
        sys.exit("refused")
    os.close(fds[0])
    s.close()
print(n / (time.monotonic() - t))
PY
N=5000
python3 "$WORK/req.py" "$SOCK" "$WORK/big" $N >"$WORK/r1" &
p1=$!
python3 "$WORK/req.py" "$SOCK" "$WORK/big" $N >"$WORK/r2" &
p2=$!
start=$(date +%s.%N)
wait $p1 $p2
end=$(date +%s.%N)
rps=$(python3 -c "print('%.0f' % (2*$N/($end-$start)))")

ratio() { python3 -c "print('%.2f' % ($1/$2))"; }
cat <<MD
| measure | value | target |
|---|---|---|
| one copy of the 100 MB payload | $copy_kb KiB | |
| Shmem increase, 20 instances through the holder | $hold_shmem KiB ($(ratio "$hold_shmem" "$copy_kb")x one copy) | <= 1.1x |
| Shmem increase, 20 instances with private copies | $priv_shmem KiB ($(ratio "$priv_shmem" "$copy_kb")x) | (today) |
| summed PSS, 20 instances: plain exec / holder / private | $plain_pss / $hold_pss / $priv_pss KiB (holder $(ratio "$hold_pss" "$plain_pss")x plain) | <= 1.2x plain |
| warm launch, tiny through the holder | $t_tiny ms | |
| warm launch, 100 MB through the holder | $t_big ms ($(ratio "$t_big" "$t_tiny")x tiny) | <= 1.5x |
| warm launch, 100 MB through the holder with --digest | $t_digest ms ($(ratio "$t_digest" "$t_tiny")x tiny) | <= 1.6x |
| warm launch, 100 MB private copy / tiny private copy | $t_private ms / $t_private_tiny ms | (today) |
| warm requests per second, 2 clients, new connection each | $rps /s | >= 2000 |
MD
