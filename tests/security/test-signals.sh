#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Attack: the launcher hands the payload a signal state it did not ask for.
# A shell ignores SIGPIPE (trap '' PIPE) and a parent blocks SIGUSR1, then
# they exec sealexec; execve() keeps both. A payload that ignores SIGPIPE
# writes on into a closed pipe forever; one that has SIGUSR1 (or SIGCHLD,
# SIGTERM) blocked never reacts to it.
# Expected: by default the payload, reading /proc/self/status, has nothing
# ignored and nothing blocked; with --keep-signals it has both as inherited.
. "$(dirname "$0")/lib.sh"
: "${ATTACK:?ATTACK must point at sealexec-attack}"
cp "$ATTACK" "$WORK/attack"
# Signal numbers differ between architectures (SIGUSR1 is 16 on mips).
pipe=$( (/bin/kill -l PIPE || kill -l PIPE) 2>/dev/null)
usr1=$( (/bin/kill -l USR1 || kill -l USR1) 2>/dev/null)
case "$pipe$usr1" in *[!0-9]* | "") skip "cannot tell the numbers of SIGPIPE and SIGUSR1" ;; esac
user=
is_root && user="--user 65534"

# has_bit KEY SIGNAL: the mask KEY (hex, from the payload) has SIGNAL's bit.
has_bit() {
        mask=$(value "$1")
        [ -n "$mask" ] || return 2
        [ $(((0x$mask >> ($2 - 1)) & 1)) = 1 ]
}

# launch ARGS...: from a shell that ignores SIGPIPE, through a parent that
# blocks SIGUSR1, exec ARGS (which ends in the attack helper's "signals").
launch() {
        run sh -c "trap '' PIPE; exec \"\$0\" sigblock $usr1 -- \"\$@\"" "$WORK/attack" "$@"
}

# The setup works: without sealexec the helper sees both.
launch "$WORK/attack" signals
expect_rc 0 "setup"
has_bit SigIgn "$pipe" && pass || fail "setup: SIGPIPE is not ignored in the payload"
has_bit SigBlk "$usr1" && pass || fail "setup: SIGUSR1 is not blocked in the payload"

# Default: every signal at its default disposition, an empty mask. As root
# the payload runs as uid 65534: the signal state does not depend on it.
# shellcheck disable=SC2086
launch "$SEALEXEC" run $user -- "$WORK/attack" signals
expect_rc 0 "sealexec run"
expect_value SigIgn 0000000000000000
expect_value SigBlk 0000000000000000

# --keep-signals: exactly what was inherited.
# shellcheck disable=SC2086
launch "$SEALEXEC" run $user --keep-signals -- "$WORK/attack" signals
expect_rc 0 "sealexec run --keep-signals"
has_bit SigIgn "$pipe" && pass || fail "--keep-signals: SIGPIPE is no longer ignored"
has_bit SigBlk "$usr1" && pass || fail "--keep-signals: SIGUSR1 is no longer blocked"

finish
