#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# examples/self-seal: after sealexec_self_seal() the program runs from a
# sealed memfd, with its argv intact.
#   test-self-seal.sh SELF_SEAL
. "$(dirname "$0")/lib.sh"
expect_output "self-seal" 0 "sealed memfd: yes" -- "$1" one two
# The re-execution keeps the arguments.
expect_output "argv kept" 0 "argv: one 'two three'" -- "$1" one "'two three'"
out=$("$1")
case $out in
*"exe: /memfd:"*) ;;
*) fail "self-seal: /proc/self/exe is not a memfd: $out" ;;
esac
echo PASS
