#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# --new-session: the payload leads a new session and has no controlling
# terminal. A pseudo-terminal comes from script(1) (util-linux).
. "$(dirname "$0")/lib.sh"

se run --new-session -- "$PROBE" session
expect_rc 0 "--new-session"
[ -n "$(value session_pid)" ] && [ "$(value session_sid)" = "$(value session_pid)" ] && pass ||
        fail "--new-session: session id is not the payload's pid"

se run -- "$PROBE" session
[ "$(value session_sid)" != "$(value session_pid)" ] && pass ||
        fail "without --new-session the payload should stay in the caller's session"

# As root the payloads below run as uid 65534, as a runtime would run them:
# the terminal checks do not depend on the payload being root.
user=
is_root && user="--user 65534"

# A process group leader cannot call setsid() and sealexec does not fork: refused.
run setsid sh -c 'exec "$0" run $2 --new-session -- "$1" session' "$SEALEXEC" "$PROBE" "$user"
expect_rc 125 "--new-session as a group leader"
expect_err "setsid -f"

command -v script >/dev/null || skip "script(1) missing: no pseudo-terminal for the terminal checks"
# "; true" keeps sh from executing sealexec in place as the session leader.
in_pty() {
        run script -qec "sh -c '$* </dev/tty; true'" /dev/null
        out=$(printf '%s\n' "$out" | tr -d '\r')
}
in_pty "$SEALEXEC run $user --profile none -- $PROBE session"
expect_line "session_tty=0" "without --new-session the terminal is the controlling one"
# Without a filter TIOCSTI into the controlling terminal works (legacy_tiocsti=1)
# or fails for everyone (legacy_tiocsti=0); either way it must fail below.
in_pty "$SEALEXEC run $user --profile none --new-session -- $PROBE session"
expect_line "session_tty=ENXIO" "--new-session: no controlling terminal"
if printf '%s\n' "$out" | grep -q '^session_tiocsti=0'; then
        fail "--new-session: TIOCSTI into the former terminal succeeded"
else pass; fi

finish
