#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Every bad input gets one clear line, a documented exit status (125 refused,
# 126 cannot execute, 127 not found), and nothing is executed.
. "$(dirname "$0")/lib.sh"

# expect_refusal STATUS MESSAGE ARGS...: sealexec run ARGS fails so.
expect_refusal() {
        local status=$1 message=$2
        shift 2
        se run "$@"
        expect_rc "$status" "sealexec run $*"
        expect_err "sealexec: " "message prefix for: $*"
        expect_err "$message" "message for: $*"
        [ -z "$out" ] && pass || fail "something ran for: $*"
}

printf '' >"$WORK/empty"
chmod 755 "$WORK/empty"
printf 'just text\n' >"$WORK/text"
chmod 755 "$WORK/text"
mkfifo "$WORK/fifo"
chmod 755 "$WORK/fifo"
head -c 5000 /dev/zero >"$WORK/big"
printf '\177ELF' >>"$WORK/big"
cp "$PROBE" "$WORK/probe"
chmod 755 "$WORK/big" "$WORK/probe"
cp "$PROBE" "$WORK/noexec-bit"
chmod 644 "$WORK/noexec-bit"

expect_refusal 127 "not found" -- "$WORK/missing"
expect_refusal 127 "not found" -- no-such-program-sealexec
expect_refusal 126 "is a directory" -- "$WORK"
expect_refusal 126 "not a regular file" -- "$WORK/fifo"
expect_refusal 126 "not a regular file" -- /dev/zero
expect_refusal 126 "is empty" -- "$WORK/empty"
expect_refusal 126 "not an ELF executable nor a #! script" -- "$WORK/text"
expect_refusal 125 "--max-size" --max-size 4K -- "$WORK/probe" exit:0
expect_refusal 126 "ermission denied" -- "$WORK/noexec-bit"
expect_refusal 125 "malformed digest" --digest sha256:xyz -- "$WORK/probe"
expect_refusal 125 "unknown capability 'CAP_NOT_A_CAP'" --cap-keep CAP_NOT_A_CAP -- "$WORK/probe"
expect_refusal 125 "unknown rlimit 'bogus'" --rlimit bogus=1 -- "$WORK/probe"
expect_refusal 125 "rlimit" --rlimit nofile=abc -- "$WORK/probe"
expect_refusal 125 "unknown user 'no-such-user-sealexec'" --user no-such-user-sealexec -- "$WORK/probe"
expect_refusal 125 "unknown group" --group no-such-group-sealexec -- "$WORK/probe"
expect_refusal 125 "file '$WORK/missing'" --file conf="$WORK/missing" -- "$WORK/probe"
expect_refusal 125 "--file" --file noequals -- "$WORK/probe"
expect_refusal 125 "--keep-fd 57" --keep-fd 57 -- "$WORK/probe"
expect_refusal 125 "fd 58" --fd 58 -- probe
expect_refusal 125 "--fd" --fd abc -- probe
expect_refusal 125 "unknown option" --no-such-option -- "$WORK/probe"
expect_refusal 125 "no PROGRAM" --env A=B
expect_refusal 125 "unknown profile" --profile nonsense -- "$WORK/probe"

# Unreadable: as root every file is readable, so check it as uid 65534.
printf '#!/bin/sh\necho ran\n' >"$WORK/secret.sh"
chmod 711 "$WORK/secret.sh"
if is_root; then
        chown 0:0 "$WORK/secret.sh"
        run setpriv --reuid=65534 --regid=65534 --clear-groups "$SEALEXEC" run -- "$WORK/secret.sh"
else
        run "$SEALEXEC" run -- /etc/shadow
fi
expect_rc 126 "unreadable payload"
expect_err "ermission denied"
[ -z "$out" ] && pass || fail "unreadable payload ran"

finish
