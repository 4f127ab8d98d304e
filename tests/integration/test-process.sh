#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Process settings: environment, working directory, rlimits, user, group,
# capabilities, as the payload sees them.
. "$(dirname "$0")/lib.sh"

se run --clear-env --env A=1 --env B=two -- "$PROBE" env
expect_rc 0 "--clear-env --env"
expect_line "env:A=1"
expect_line "env:B=two"
[ "$(printf '%s\n' "$out" | grep -c '^env:')" = 2 ] && pass || fail "environment not exactly A and B"

FOO=bar se run --unsetenv FOO -- "$PROBE" env
expect_no_line "env:FOO=bar"
FOO=bar se run -- "$PROBE" env
expect_line "env:FOO=bar"

se run --chdir / -- "$PROBE" cwd
expect_line "cwd=/"

se run --rlimit nofile=64:128 --rlimit core=0 -- "$PROBE" rlimit:nofile rlimit:core
expect_rc 0 "--rlimit"
expect_value rlimit_nofile 64:128
expect_value rlimit_core 0:0

if is_root; then
        # A kept capability survives the switch to an unprivileged user (ambient).
        se run --user 65534 --group 65534 --cap-keep CAP_NET_BIND_SERVICE -- "$PROBE" status
        expect_rc 0 "--user --cap-keep"
        expect_value Uid "65534 65534 65534 65534"
        expect_value Gid "65534 65534 65534 65534"
        expect_value Groups 65534
        expect_value CapEff 0000000000000400
        expect_value CapPrm 0000000000000400
        expect_value CapAmb 0000000000000400
        expect_value CapBnd 0000000000000400

        # As root, a kept capability is all the payload has.
        se run --cap-keep chown,net_raw -- "$PROBE" status
        expect_value Uid "0 0 0 0"
        expect_value CapEff 0000000000002001
        expect_value CapBnd 0000000000002001

        se run --user nobody -- "$PROBE" status
        expect_value Uid "65534 65534 65534 65534"
        expect_value CapEff 0000000000000000
else
        # Unprivileged: nothing to keep, and asking for a capability fails cleanly.
        se run --cap-keep CAP_NET_BIND_SERVICE -- "$PROBE" status
        expect_rc 125 "--cap-keep without holding it"
        expect_err "cap_net_bind_service"
        [ -z "$out" ] && pass || fail "payload ran although a capability step failed"
fi

finish
