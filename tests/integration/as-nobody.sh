#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs an integration test as an unprivileged user (uid/gid 65534, no
# supplementary groups, no capabilities), the way a service wrapper would run
# sealexec without root. The build tree may sit where uid 65534 cannot read
# it, so the binaries and scripts are copied to a world-readable directory.
set -eu
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root to switch to uid 65534"; exit 77; }
command -v setpriv >/dev/null || { echo "SKIP: setpriv (util-linux) missing"; exit 77; }
script=$1
dir=$(mktemp -d /tmp/sealexec-nobody.XXXXXX)
trap 'rm -rf "$dir"' EXIT
cp "$SEALEXEC" "$dir/sealexec"
cp "$PROBE" "$dir/sealexec-probe"
cp "$(dirname "$script")/lib.sh" "$script" "$dir/"
cp -r "$(dirname "$script")/../data" "$dir/data"
chmod -R a+rX "$dir"
cd "$dir"
SEALEXEC="$dir/sealexec" PROBE="$dir/sealexec-probe" \
        setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
        /bin/sh "$dir/$(basename "$script")"
