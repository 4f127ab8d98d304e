#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# with-helpers.sh AS_NOBODY SCRIPT: copies the security tests' helper programs
# ($ATTACK, $BPF_VERDICT) to a world-readable directory, then runs
# tests/integration/as-nobody.sh, because the build tree may sit where uid
# 65534 cannot read it.
set -eu
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root to switch to uid 65534"; exit 77; }
dir=$(mktemp -d /tmp/sealexec-helpers.XXXXXX)
trap 'rm -rf "$dir"' EXIT
cp "$ATTACK" "$dir/sealexec-attack"
cp "$BPF_VERDICT" "$dir/sealexec-bpf-verdict"
chmod -R a+rX "$dir"
status=0
ATTACK="$dir/sealexec-attack" BPF_VERDICT="$dir/sealexec-bpf-verdict" \
        /bin/sh "$1" "$2" || status=$?
exit "$status"
