#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Attack: a payload left as uid 0 of the host. Without capabilities, under
# seccomp and no_new_privs, it still owns every root-owned file: it can
# create files in /etc and write a "|program" handler into
# /proc/sys/kernel/core_pattern, which the kernel runs as full root outside
# any sandbox at the next crash.
# Expected, as root: without --user or --allow-root the launch is refused
# (exit 125, a message naming both) and the payload never runs; with
# --user 65534 it runs and can write neither core_pattern nor /etc; with
# --allow-root it runs as uid 0 (the documented risk). A user namespace in
# which uid 0 is still uid 0 of the host does not help. As uid 65534 the
# refusal does not apply.
. "$(dirname "$0")/lib.sh"
: "${ATTACK:?ATTACK must point at sealexec-attack}"
cp "$ATTACK" "$WORK/attack"
mkdir "$WORK/m"
chmod 1777 "$WORK/m"
core=/proc/sys/kernel/core_pattern
# Written back as it is, so that an attack that succeeds changes nothing.
pattern=$(cat "$core" 2>/dev/null || echo core)
etc_file=/etc/sealexec-root-payload-test.$$
trap 'rm -rf "$WORK"; rm -f "$etc_file"' EXIT

# expect_etc_untouched WHAT: the last payload could not create $etc_file.
expect_etc_untouched() {
        expect_value create not 0
        if [ -e "$etc_file" ]; then
                rm -f "$etc_file"
                fail "$1: the payload created a file in /etc"
        else pass; fi
}

if ! is_root; then
        # The payload's uid is not 0: nothing to refuse.
        run "$SEALEXEC" run -- "$WORK/attack" touch "$WORK/m/nobody"
        expect_rc 0 "uid 65534, no --user"
        [ -e "$WORK/m/nobody" ] && pass || fail "uid 65534: the payload did not run"
        run "$SEALEXEC" run -- "$PROBE" status
        expect_value Uid "65534 65534 65534 65534"
        # A user namespace where uid 0 maps to uid 65534 of the host, as a
        # runtime sets up: the payload is uid 0 there, but nobody outside.
        if unshare --user --map-root-user true 2>/dev/null; then
                run unshare --user --map-root-user "$SEALEXEC" run -- "$WORK/attack" create "$etc_file"
                expect_rc 0 "uid 0 of a user namespace owned by uid 65534"
                expect_etc_untouched "user namespace mapped to 65534"
        else
                echo "SKIP-CHECK: unprivileged user namespaces are not available"
        fi
        finish
fi

# Refused: the literal command, and a payload that would leave a marker.
run "$SEALEXEC" run -- /bin/true
expect_rc 125 "root, no --user: /bin/true"
run "$SEALEXEC" run -- "$WORK/attack" touch "$WORK/m/refused"
expect_rc 125 "root, no --user"
expect_err "--user"
expect_err "--allow-root"
[ ! -e "$WORK/m/refused" ] && pass || fail "root, no --user: the payload ran"
# --user 0 names root itself: the same refusal.
run "$SEALEXEC" run --user 0 -- "$WORK/attack" touch "$WORK/m/user0"
expect_rc 125 "--user 0"
expect_err "--allow-root"
[ ! -e "$WORK/m/user0" ] && pass || fail "--user 0: the payload ran"

# --user 65534: runs, and root's files are out of reach.
run "$SEALEXEC" run --user 65534 -- "$WORK/attack" touch "$WORK/m/nobody"
expect_rc 0 "--user 65534"
[ -e "$WORK/m/nobody" ] && pass || fail "--user 65534: the payload did not run"
run "$SEALEXEC" run --user 65534 -- "$WORK/attack" write "$core" "$pattern"
expect_rc 0 "--user 65534: write core_pattern"
expect_value write not 0
run "$SEALEXEC" run --user 65534 -- "$WORK/attack" create "$etc_file"
expect_rc 0 "--user 65534: create in /etc"
expect_etc_untouched "--user 65534"

# --allow-root: the caller accepted the risk; the payload is uid 0 of the
# host, and the risk is real: it creates a file in /etc.
run "$SEALEXEC" run --allow-root -- "$PROBE" status
expect_rc 0 "--allow-root"
expect_value Uid "0 0 0 0"
expect_value CapEff 0000000000000000
run "$SEALEXEC" run --allow-root -- "$WORK/attack" create "$etc_file"
expect_rc 0 "--allow-root: create in /etc"
if [ "$(value create)" = 0 ] && [ -e "$etc_file" ]; then pass; else
        fail "--allow-root: the payload could not create a file in /etc (the risk SECURITY.md describes)"
fi
rm -f "$etc_file"

# A user namespace whose uid 0 is uid 0 of the host (unshare -r as root):
# the payload is still host root and must be refused like above.
if command -v unshare >/dev/null && unshare --user --map-root-user true 2>/dev/null; then
        run unshare --user --map-root-user "$SEALEXEC" run -- "$WORK/attack" create "$etc_file"
        expect_rc 125 "root in a user namespace mapping 0 to 0"
        expect_err "--allow-root"
        if [ -e "$etc_file" ]; then
                rm -f "$etc_file"
                fail "root in a user namespace mapping 0 to 0: the payload created a file in /etc"
        else pass; fi
else
        echo "SKIP-CHECK: unshare --user --map-root-user is not available"
fi

finish
