#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# SCMP_ACT_NOTIFY: without a listener the launch is refused at prepare (its
# calls would have nobody to answer); with --seccomp-listener the listener
# goes to the agent over the socket, the agent decides the notified call,
# and the payload never holds the listener itself.
. "$(dirname "$0")/lib.sh"

cat >"$WORK/notify.policy" <<'POLICY'
@denylist
getppid: user-notify
POLICY

se run --policy "$WORK/notify.policy" -- "$PROBE" syscall:getppid
expect_rc 125 "notify policy without a listener"
expect_err "no listener was given"
[ -z "$out" ] && pass || fail "payload ran without a listener"

# JSON too: SCMP_ACT_NOTIFY on one syscall.
cat >"$WORK/notify.json" <<'JSON'
{"defaultAction": "SCMP_ACT_ALLOW",
 "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_NOTIFY"}]}
JSON

for policy in "$WORK/notify.policy" "$WORK/notify.json"; do
        sock="$WORK/agent.sock"
        rm -f "$sock"
        # The agent answers ENOTTY (25), an errno nothing else gives getppid().
        "$ATTACK" seccomp-agent "$sock" 25 >"$WORK/agent.out" 2>&1 &
        agent=$!
        for _ in 1 2 3 4 5 6 7 8 9 10; do [ -S "$sock" ] && break; sleep 0.2; done
        se run --seccomp-listener "$sock" --policy "$policy" -- "$PROBE" syscall:getppid fds
        expect_rc 0 "$policy: launch with a listener"
        expect_value syscall_getppid ENOTTY
        # The listener is not among the payload's descriptors.
        expect_value fds 0,1,2
        wait "$agent"
        agent_out=$(cat "$WORK/agent.out")
        if printf '%s\n' "$agent_out" | grep -q '^agent_answered=[1-9]'; then pass; else
                fail "$policy: the agent answered nothing: $agent_out"
        fi
        if printf '%s\n' "$agent_out" | grep -q '"fds":\["seccompFd"\]'; then pass; else
                fail "$policy: no OCI state with the listener: $agent_out"
        fi
done

# A listener socket that nobody listens on: refused before anything runs.
se run --seccomp-listener "$WORK/nobody-here.sock" --policy "$WORK/notify.policy" -- "$PROBE" status
expect_rc 125 "unreachable listener socket"
[ -z "$out" ] && pass || fail "payload ran with an unreachable listener"

finish
