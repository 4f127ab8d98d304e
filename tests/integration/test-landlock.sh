#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Landlock: the payload always enters a domain (away from its parent's
# /proc/PID/mem, ptrace and, with scopes, signals), and --ro/--rw restrict the
# filesystem while a dynamic payload's loader still works.
. "$(dirname "$0")/lib.sh"

se run --dry-run -- "$PROBE" status
expect_rc 0 "--dry-run"
line=$(printf '%s\n' "$out" | grep '^landlock: ')
case "$line" in
"landlock: unavailable"*) skip "the kernel lacks Landlock ($line)" ;;
"landlock: ABI "*) pass ;;
*) fail "--dry-run has no landlock line" ;;
esac
abi=$(printf '%s\n' "$line" | sed -n 's/^landlock: ABI \([0-9]*\),.*/\1/p')

# (c) what --dry-run says.
if [ "$abi" -ge 6 ]; then
        expect_line "landlock: ABI $abi, domain: yes, scopes: signal,abstract-unix, fs: unrestricted"
else
        expect_line "landlock: ABI $abi, domain: yes, scopes: none, fs: unrestricted except creating block devices"
        expect_line "landlock not enforced: scopes signal,abstract-unix (ABI 6 needed)"
fi

mkdir -p "$WORK/ro" "$WORK/rw" "$WORK/other"
echo inside >"$WORK/ro/data"
echo outside >"$WORK/other/data"

se run --dry-run --ro "$WORK/ro" --rw "$WORK/rw" -- /bin/cat "$WORK/ro/data"
expect_rc 0 "--dry-run --ro --rw"
line=$(printf '%s\n' "$out" | grep '^landlock: ')
interp=$(printf '%s\n' "$line" | sed -n 's/.*, interpreter \([^ ]*\) (read+exec).*/\1/p')
case "$line" in
*"fs: ro $WORK/ro, rw $WORK/rw, interpreter /"*"(read+exec), loader read-only:"*) pass ;;
*) fail "--dry-run landlock line with rules: '$line'" ;;
esac
[ -n "$interp" ] && [ -e "$interp" ] && pass || fail "interpreter '$interp' not shown or missing"

se run --dry-run --ro "$WORK/ro" -- "$PROBE" status
printf '%s\n' "$out" | grep -q '^landlock: .*interpreter none (static)$' && pass ||
        fail "static payload: expected 'interpreter none (static)'"

# (a) the default domain, from inside.
se run -- "$PROBE" parent-attack
expect_rc 0 "parent-attack"
expect_value parent_mem_open EACCES
expect_value parent_ptrace_attach not 0
if [ "$abi" -ge 6 ]; then
        expect_value parent_kill EPERM
        # The parent (timeout(1), same user as the launch) can be signalled without the scope.
        se run --no-scope-signals -- "$PROBE" parent-attack
        expect_rc 0 "--no-scope-signals"
        expect_value parent_kill 0
        expect_value parent_mem_open EACCES
        se run --dry-run --no-scope-signals -- "$PROBE" status
        expect_line "landlock: ABI $abi, domain: yes, scopes: abstract-unix, fs: unrestricted"
        se run --dry-run --no-scope-signals --no-scope-abstract-unix -- "$PROBE" status
        expect_line "landlock: ABI $abi, domain: yes, scopes: none, fs: unrestricted except creating block devices"
        se run --no-scope-signals --no-scope-abstract-unix -- "$PROBE" parent-attack
        expect_rc 0 "no scopes: still a domain"
        expect_value parent_mem_open EACCES
fi

# (b) filesystem rules with a dynamic payload: its loader still works.
se run --ro "$WORK/ro" -- /bin/cat "$WORK/ro/data"
expect_rc 0 "dynamic /bin/cat beneath --ro"
expect_line inside
se run --ro "$WORK/ro" -- /bin/cat "$WORK/other/data"
expect_rc 1 "/bin/cat outside the rules"
expect_err "Permission denied"
expect_no_line outside
se run --ro /usr --ro "$WORK/ro" -- /bin/cat /etc/passwd
expect_rc 1 "/etc outside the rules"

se run --ro "$WORK/ro" --rw "$WORK/rw" -- "$PROBE" write:"$WORK/rw/new"
expect_value write 0
[ -f "$WORK/rw/new" ] && pass || fail "file beneath --rw not created"
se run --ro "$WORK/ro" --rw "$WORK/rw" -- "$PROBE" write:"$WORK/ro/new"
expect_value write EACCES
se run --ro "$WORK/ro" --rw "$WORK/rw" -- "$PROBE" write:"$WORK/other/new"
expect_value write EACCES
[ ! -e "$WORK/ro/new" ] && [ ! -e "$WORK/other/new" ] && pass || fail "write outside --rw happened"
# Without rules the filesystem is not restricted by Landlock.
se run -- "$PROBE" write:"$WORK/other/new"
expect_value write 0

# A "#!" script: its interpreter and that interpreter's loader are allowed.
printf '#!/bin/sh\necho script-ok\n' >"$WORK/s.sh"
chmod 755 "$WORK/s.sh"
se run --ro "$WORK/ro" -- "$WORK/s.sh"
expect_rc 0 "script under --ro"
expect_line script-ok

# require: this kernel's ABI decides; refusing must name Landlock.
se run --landlock=require --ro "$WORK/ro" -- /bin/cat "$WORK/ro/data"
if [ "$abi" -ge 6 ]; then
        expect_rc 0 "--landlock=require on ABI $abi"
        expect_line inside
else
        expect_rc 125 "--landlock=require on ABI $abi"
        expect_err "landlock: required"
fi

se run --ro "$WORK/missing" -- /bin/true
expect_rc 125 "--ro on a missing path"
expect_err "read-only path '$WORK/missing': No such file or directory"

finish
