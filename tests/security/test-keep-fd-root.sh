#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Attack: --keep-fd names a descriptor that is closed when sealexec starts,
# together with --root (whose O_PATH directory descriptor would be the first
# one sealexec opens) and --file (memfds); or 0, 1, 2 start closed.
# Expected: a closed kept fd is refused (125, naming --keep-fd) before
# anything is opened; an open one reaches the payload as it is; no descriptor
# of sealexec's own ever does.
. "$(dirname "$0")/lib.sh"
: "${ATTACK:?ATTACK must point at sealexec-attack}"

ar=
is_root && ar=--allow-root
R=$WORK/root
mkdir -p "$R/bin" "$R/etc"
cp "$ATTACK" "$R/bin/attack"
echo conf >"$R/etc/conf"
echo kept >"$WORK/kept"

se run --keep-fd 3 --root "$R" -- /bin/attack fds 3<&-
expect_rc 125 "--keep-fd 3 closed, --root"
expect_err "--keep-fd 3: not an open descriptor"
[ -z "$out" ] && pass || fail "the payload ran"

se run --keep-fd 4 --keep-fd 3 --file "c=$R/etc/conf" -- "$R/bin/attack" fds 3<"$WORK/kept" 4<&-
expect_rc 125 "--keep-fd 4 closed, --file"
expect_err "--keep-fd 4: not an open descriptor"

se run --keep-fd 3 --root "$R" -- /bin/attack fds 3<"$WORK/kept"
expect_rc 0 "--keep-fd 3 open, --root"
expect_line "fd 3 ro $WORK/kept"
n=$(printf '%s\n' "$out" | grep -c '^fd ')
[ "$n" = 4 ] && pass || fail "expected fds 0-3 only, got $n"
case "$out" in *" $R"*) fail "a descriptor of the root reached the payload" ;; *) pass ;; esac

se run --keep-fd 3 --root "$R" --file c=/etc/conf -- /bin/attack fds 3<"$WORK/kept"
expect_rc 0 "--keep-fd 3 open, --root, --file"
expect_line "fd 3 ro $WORK/kept"
expect_line "fd 4 ro /memfd:sealexec:conf (deleted)"
case "$out" in *" $R"*) fail "a descriptor of the root reached the payload" ;; *) pass ;; esac

# 0, 1 and 2 are always inherited: closed ones are not left for sealexec's
# own descriptors to take.
timeout -k 5 20 "$SEALEXEC" run $ar --root "$R" --file c=/etc/conf -- /bin/attack fds \
        <&- >"$WORK/.out" 2>"$WORK/.err"
rc=$? out=$(cat "$WORK/.out") err=$(cat "$WORK/.err")
expect_rc 0 "stdin closed"
expect_line "fd 0 rw /dev/null"
case "$out" in *" $R"*) fail "a descriptor of the root reached the payload" ;; *) pass ;; esac

finish
