#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The shared library exports exactly the functions that include/sealexec.h
# declares (SEALEXEC_API), each with the version node SEALEXEC_0.1, and has
# the SONAME libsealexec.so.0. Anything else exported would become ABI that
# nobody meant to promise; anything missing breaks programs linked to it.
#   check-symbols.sh LIBSEALEXEC.SO SEALEXEC.H
set -eu
lib=$1 header=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Declarations keep the function name on the SEALEXEC_API line.
sed -n 's/^SEALEXEC_API[^(]*[ *]\(sealexec_[a-z0-9_]*\)(.*/\1/p' "$header" | sort >"$tmp/declared"
[ -s "$tmp/declared" ] || { echo "FAIL: no SEALEXEC_API declarations found in $header"; exit 1; }

# Defined dynamic symbols, without the version node itself (type A).
nm -D --defined-only "$lib" | awk '$2 != "A" { print $3 }' | sort >"$tmp/exported-versioned"
sed 's/@.*//' "$tmp/exported-versioned" | sort >"$tmp/exported"

status=0
extra=$(comm -13 "$tmp/declared" "$tmp/exported")
missing=$(comm -23 "$tmp/declared" "$tmp/exported")
unversioned=$(grep -v '@@SEALEXEC_0\.1$' "$tmp/exported-versioned" || true)
if [ -n "$extra" ]; then
        echo "FAIL: exported but not declared in sealexec.h:"; echo "$extra"; status=1
fi
if [ -n "$missing" ]; then
        echo "FAIL: declared in sealexec.h but not exported:"; echo "$missing"; status=1
fi
if [ -n "$unversioned" ]; then
        echo "FAIL: exported without the version SEALEXEC_0.1:"; echo "$unversioned"; status=1
fi
soname=$(readelf -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
if [ "$soname" != libsealexec.so.0 ]; then
        echo "FAIL: SONAME is '$soname', expected libsealexec.so.0"; status=1
fi
[ $status -eq 0 ] && echo "PASS: $(wc -l <"$tmp/exported") symbols exported, all declared and versioned; SONAME $soname"
exit $status
