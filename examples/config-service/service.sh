#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# A tiny service that reads its configuration through a sealed file.
#
#   service.sh --config PATH
#
# Under sealexec, PATH is /proc/self/fd/N: a sealed, read-only memfd holding
# the configuration as it was when sealexec checked it. The service prints
# what it was configured with, then shows that the file cannot be changed.
set -u

if [ $# -ne 2 ] || [ "$1" != --config ]; then
        echo "usage: service.sh --config PATH" >&2
        exit 2
fi
conf=$2

# KEY=VALUE lines; '#' starts a comment.
while IFS='=' read -r key value; do
        case $key in
        '' | '#'*) continue ;;
        greeting) greeting=$value ;;
        port) port=$value ;;
        *) echo "service: unknown setting '$key'" >&2; exit 2 ;;
        esac
done < "$conf"

echo "config: $conf"
echo "service: ${greeting:-hello} on port ${port:-8080}"

# The configuration is sealed: appending to it must fail, whoever runs it.
if (echo "port=1" >> "$conf") 2>/dev/null; then
        echo "config writable: yes"
        exit 1
fi
echo "config writable: no"
