#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# examples/policies: every example policy passes `sealexec policy check`, and
# each payload runs under both of its policies (text and JSON). bash for
# /dev/tcp, the client side of the server test.
#   test-policies.sh SEALEXEC EXAMPLES_DIR ECHO_SERVER
. "$2/tests/lib.sh"
sealexec=$1 dir=$2/policies server=$3
skipped=""
# As root the payloads run as nobody: sealexec refuses to leave one uid 0 of
# the host, and the policies are written for unprivileged payloads.
user=()
[ "$(id -u)" != 0 ] || user=(--user nobody)

for p in "$dir"/*.policy "$dir"/*.json; do
        "$sealexec" policy check "$p" || fail "policy check $p"
done
echo "policy check: all passed"

# The server under each policy: one request on a free port.
for p in static-server.policy static-server.json; do
        out=$(mktemp)
        "$sealexec" run "${user[@]}" --policy "$dir/$p" -- "$server" 0 >"$out" &
        pid=$!
        for _ in $(seq 50); do grep -q listening "$out" && break; sleep 0.1; done
        port=$(sed -n 's/^listening on //p' "$out")
        [ -n "$port" ] || { kill $pid; fail "$p: server did not start"; }
        exec 3<>"/dev/tcp/127.0.0.1/$port" || fail "$p: cannot connect"
        echo ping >&3
        read -r reply <&3
        exec 3<&-
        wait $pid || fail "$p: server exited with $?"
        rm -f "$out"
        [ "$reply" = "hello ping" ] || fail "$p: reply '$reply'"
        echo "$p: echo-server answered '$reply'"
done

if [ -x /usr/bin/python3 ]; then
        conf=$(mktemp)
        echo '{"name": "sealed"}' >"$conf"
        for p in python3-script.policy python3-script.json; do
                expect_output "$p" 0 "hello from python3, sealed" \
                        -- "$sealexec" run "${user[@]}" --policy "$dir/$p" --file "conf=$conf" \
                        -- "$dir/hello.py" '%{conf}'
        done
        rm -f "$conf"
else
        skipped="$skipped python3 (no /usr/bin/python3)"
fi

if command -v busybox >/dev/null; then
        for p in busybox.policy busybox.json; do
                expect_output "$p" 0 "files: ok" -- "$sealexec" run "${user[@]}" --policy "$dir/$p" \
                        -- busybox sh -c 'echo hi | cat >/dev/null && ls / >/dev/null && echo files: ok'
                # Namespaces are refused: unshare(2) is not listed (ENOSYS) and
                # clone with CLONE_NEWUSER gets EPERM.
                "$sealexec" run "${user[@]}" --policy "$dir/$p" -- busybox unshare -U true 2>/dev/null &&
                        fail "$p: busybox unshare -U succeeded"
        done
else
        skipped="$skipped busybox (not installed)"
fi

if [ -n "$skipped" ]; then
        skip "payloads missing:$skipped"
fi
echo PASS
