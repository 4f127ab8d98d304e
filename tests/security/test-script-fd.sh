#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Attack: a '#!' payload (its memfd must stay open for the interpreter)
# looks for extra descriptors and for write access to its own memfd.
# Expected: the memfd is the only extra descriptor and it is O_RDONLY.
. "$(dirname "$0")/lib.sh"
: "${ATTACK:?ATTACK must point at sealexec-attack}"
cp "$ATTACK" "$WORK/attack"
printf '#!/bin/sh\nexec "%s" fds\n' "$WORK/attack" >"$WORK/script.sh"
chmod 755 "$WORK/script.sh"

se run -- "$WORK/script.sh"
expect_rc 0 "script ran"
extra=$(printf '%s\n' "$out" | grep '^fd ' | grep -v '^fd [012] ')
count=$(printf '%s\n' "$extra" | grep -c '^fd ')
[ "$count" = 1 ] && pass || fail "expected one extra descriptor, got: $extra"
case "$extra" in
"fd "*" ro /memfd:sealexec:script.sh"*) pass ;;
*) fail "the extra descriptor is not the read-only sealed script: $extra" ;;
esac

finish
