#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs the example service under sealexec with its configuration sealed:
#
#   sealexec run --file conf=service.conf@sha256:HEX -- service.sh --config %{conf}
#
# --file seals service.conf into a memfd (never executable) and checks its
# SHA-256; %{conf} becomes the path the service opens (/proc/self/fd/N).
# Started as root, the service runs as nobody: sealexec refuses to leave a
# payload uid 0 of the host, which owns /etc even without capabilities.
# SEALEXEC names the command (default: sealexec from $PATH).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
sealexec=${SEALEXEC:-sealexec}
user=
[ "$(id -u)" != 0 ] || user="--user nobody"

digest=$("$sealexec" digest "$here/service.conf" | cut -d' ' -f1)
# shellcheck disable=SC2086 # $user is empty or two words
exec "$sealexec" run $user --clear-env --env PATH=/usr/bin:/bin \
        --file "conf=$here/service.conf@$digest" \
        -- "$here/service.sh" --config '%{conf}'
