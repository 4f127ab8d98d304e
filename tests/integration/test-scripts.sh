#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# '#!' payloads: the kernel hands the interpreter /dev/fd/N of the sealed
# memfd, so that descriptor stays open (read-only) and nothing else does.
. "$(dirname "$0")/lib.sh"

cat >"$WORK/hello.sh" <<'SCRIPT'
#!/bin/sh
echo "hello from $0 with $#: $*"
ls -l /proc/$$/fd/
SCRIPT
chmod 755 "$WORK/hello.sh"

se run -- "$WORK/hello.sh" a b
expect_rc 0 "script payload"
printf '%s\n' "$out" | grep -q '^hello from /dev/fd/[0-9]* with 2: a b$' && pass ||
        fail "script did not run from /dev/fd/N"
script_fd=$(printf '%s\n' "$out" | sed -n 's|^hello from /dev/fd/\([0-9]*\) .*|\1|p')
printf '%s\n' "$out" | grep -q " $script_fd -> /memfd:sealexec:hello.sh" && pass ||
        fail "fd $script_fd is not the sealed memfd"
# Besides 0, 1 and 2, only the sealed script is open (the shell may hold a
# second descriptor of it while it reads the script).
extra=$(printf '%s\n' "$out" | grep -e ' -> ' | grep -v -e ' [012] -> ' |
        grep -v ' -> /memfd:sealexec:hello.sh' || true)
[ -z "$extra" ] && pass || fail "unexpected descriptors in the script: $extra"
cat >"$WORK/mode.sh" <<'SCRIPT'
#!/bin/sh
n=${0##*/}
sed -n 's/^flags:[[:space:]]*//p' /proc/$$/fdinfo/$n
SCRIPT
chmod 755 "$WORK/mode.sh"
se run -- "$WORK/mode.sh"
flags=$out
# O_ACCMODE of the script's descriptor is O_RDONLY (low two octal digits 0).
case "$flags" in *0) pass ;; *) fail "script memfd is not read-only (flags $flags)" ;; esac

finish
