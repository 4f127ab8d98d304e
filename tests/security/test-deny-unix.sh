#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# --deny-unix: Landlock does not restrict connect() to a named UNIX socket,
# so without it a payload reaches /run/docker.sock and the like whatever
# --ro/--rw say. With it, creating AF_UNIX sockets fails (EACCES), also with
# high bits in the family; stream socketpairs (which reach nothing) stay.
. "$(dirname "$0")/lib.sh"

# A named socket the payload may write to by its mode: docker.sock's stand-in.
sock="$WORK/listener.sock"
python3 - "$sock" <<'PY' &
import os, socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1])
os.chmod(sys.argv[1], 0o777)
s.listen(8)
s.settimeout(15)
try:
    while True:
        c, _ = s.accept()
        c.close()
except OSError:
    pass
PY
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in 1 2 3 4 5 6 7 8 9 10; do [ -S "$sock" ] && break; sleep 0.2; done

user=
is_root && user="--user 65534"
export PROBE_UNIX_PATH="$sock"

# Without --deny-unix, even under --ro (Landlock): the socket is reachable.
# shellcheck disable=SC2086
se run $user --ro / -- "$PROBE" syscall:connect_unix
expect_rc 0 "connect under --ro"
expect_value syscall_connect_unix 0

for profile in default none docker; do
        # shellcheck disable=SC2086
        se run $user --deny-unix --profile $profile -- "$PROBE" syscall:connect_unix \
                syscall:socket_unix syscall:socket_unix_high syscall:socketpair_unix_dgram \
                syscall:socketpair_unix_stream syscall:socket_inet
        expect_rc 0 "--deny-unix --profile $profile"
        expect_value syscall_connect_unix EACCES
        expect_value syscall_socket_unix EACCES
        expect_value syscall_socket_unix_high EACCES
        expect_value syscall_socketpair_unix_dgram EACCES
        expect_value syscall_socketpair_unix_stream 0
        expect_value syscall_socket_inet 0
done

# The dry run says which it is.
# shellcheck disable=SC2086
se run $user --dry-run -- "$PROBE"
if printf '%s\n' "$out" | grep -q '^unix sockets: named sockets stay reachable'; then pass; else
        fail "dry run does not warn about named UNIX sockets"
fi
# shellcheck disable=SC2086
se run $user --dry-run --deny-unix -- "$PROBE"
if printf '%s\n' "$out" | grep -q '^unix sockets: socket(AF_UNIX) denied'; then pass; else
        fail "dry run does not show --deny-unix"
fi
finish
