#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Attack: from inside the payload, change the sealed binary it runs from.
# Expected: every write, truncation, allocation, shared writable map and new
# seal fails; the seals are SEAL|SHRINK|GROW|WRITE(|EXEC); the bytes the
# payload reads back hash to the digest of the source file.
. "$(dirname "$0")/lib.sh"
: "${ATTACK:?ATTACK must point at sealexec-attack}"
cp "$ATTACK" "$WORK/payload"

se run -- "$WORK/payload" seal
expect_rc 0 "seal attack ran"
for k in exe_open_wronly_write exe_open_rdwr_write exe_pwrite exe_ftruncate_shrink \
        exe_ftruncate_grow exe_fallocate exe_mmap_shared_write exe_mprotect_write \
        exe_add_seal_seal exe_add_seal_future_write exe_add_seal_none; do
        expect_value "$k" not 0
done
# Seals can never be removed: Linux has no fcntl for it (F_ADD_SEALS only
# adds), and with F_SEAL_SEAL set even adding fails, as checked above.
expect_seals exe_seals

se digest "$WORK/payload"
source_digest=$(printf '%s' "$out" | cut -d' ' -f1)
# As root the payload stays uid 0 (--allow-root): seals hold even for root.
allow_root=
is_root && allow_root=--allow-root
# shellcheck disable=SC2086
inside=sha256:$(timeout 20 "$SEALEXEC" run $allow_root -- "$WORK/payload" cat-exe </dev/null |
        sha256sum | cut -d' ' -f1)
[ "$inside" = "$source_digest" ] && pass || fail "payload reads $inside, source is $source_digest"

finish
