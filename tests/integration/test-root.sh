#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# --root DIR: the payload, its $PATH lookup and --file paths are resolved
# beneath DIR with openat2(RESOLVE_IN_ROOT|RESOLVE_NO_MAGICLINKS): absolute
# symlinks, ".." and /proc magic links in a hostile root never reach the host.
. "$(dirname "$0")/lib.sh"

R="$WORK/root"
mkdir -p "$R/bin" "$R/etc" "$R/usr/bin"
cp "$PROBE" "$R/bin/probe"
chmod 755 "$R/bin/probe"
# Escapes that would reach the host's /bin/true and /etc/hostname if followed.
ln -s /../../../../bin/true "$R/bin/evil"
ln -s ../../../../../../bin/true "$R/bin/dotdot"
ln -s /proc/self/root/bin/true "$R/bin/magic"
printf 'hostname inside the root\n' >"$R/etc/hostname"
ln -s /etc/hostname "$R/etc/conf"
ln -s ../../../../../../etc/hostname "$R/etc/conf-dotdot"
ln -s /proc/self/root/etc/hostname "$R/etc/conf-magic"
# A relative chain that stays inside: /usr/bin/p -> ../../bin/link -> probe.
ln -s probe "$R/bin/link"
ln -s ../../bin/link "$R/usr/bin/p"
chmod -R go+rX "$R"

se run --root "$R" -- /bin/probe status
expect_rc 0 "--root: the root's /bin/probe"
expect_value exe "/memfd:sealexec:probe (deleted)"
expect_value exe_is_memfd 1
expect_seals exe_seals

# $PATH candidates are resolved beneath the root too.
PATH=/usr/bin:/bin se run --root "$R" -- probe status
expect_rc 0 "--root: \$PATH lookup inside the root"
expect_value exe_is_memfd 1

se run --root "$R" -- /usr/bin/p status
expect_rc 0 "--root: relative symlink chain inside the root"

for link in evil dotdot; do
        se run --root "$R" -- "/bin/$link"
        expect_rc 127 "--root: /bin/$link must not reach the host's /bin/true"
        expect_err "not found"
done
se run --root "$R" -- /bin/magic
case "$rc" in 125 | 126 | 127) pass ;; *) fail "--root: magic link /bin/magic ran (rc $rc)" ;; esac

# A data file that is an absolute symlink resolves to the root's own target.
want=$(sha256sum "$R/etc/hostname" | cut -d' ' -f1)
for conf in conf conf-dotdot; do
        se run --root "$R" --file c=/etc/$conf -- /bin/probe "file:%{c}"
        expect_rc 0 "--root --file /etc/$conf"
        expect_value file_content "hostname inside the root"
        se run --root "$R" --file c=/etc/$conf@sha256:$want --dry-run -- /bin/probe
        expect_rc 0 "--root --file /etc/$conf: digest of the root's /etc/hostname"
done
se run --root "$R" --file c=/etc/conf-magic -- /bin/probe "file:%{c}"
[ "$rc" != 0 ] && pass || fail "--root --file: the magic link was followed"
case "$out" in *file_content=*) fail "--root --file: read through a magic link: $out" ;; *) pass ;; esac

# Nothing of the host is used: the root has no /bin/sh.
se run --root "$R" -- /bin/sh -c 'echo escaped'
expect_rc 127 "--root without /bin/sh"
expect_err "payload '/bin/sh': not found"

se run --root "$WORK/nonexistent" -- /bin/probe
expect_rc 125 "--root of a missing directory"

finish
