#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# examples/runtime-launch: the child's end is reported as it happened.
#   test-runtime-launch.sh RUNTIME_LAUNCH TESTS_DIR
. "$2/lib.sh"
rt=$1

expect_output "exit 0" 0 "exited 0" -- "$rt" -- /bin/true
expect_output "exit 7" 7 "exited 7" -- "$rt" --profile default -- /bin/sh -c 'exit 7'
# SIGSYS is 31 on x86 and arm, 12 on mips: the status is 128 + its number.
sigsys=$(kill -l SYS 2>/dev/null || echo 31)
expect_output "killed" $((128 + sigsys)) "killed by signal SIGSYS" \
        -- "$rt" --policy "$2/kill-default.policy" -- /bin/true
# As root the workload runs as nobody unless --user says otherwise, and
# uid 0 of the host is refused by the library (125) before anything runs.
if [ "$(id -u)" = 0 ]; then
        expect_output "default user" 0 "65534" -- "$rt" -- /usr/bin/id -u
        expect_output "--user" 0 "1" -- "$rt" --user daemon -- /usr/bin/id -u
        expect_output "root refused" 125 "exited 125" -- "$rt" --user 0 -- /usr/bin/id -u
else
        expect_output "own user" 0 "$(id -u)" -- "$rt" -- /usr/bin/id -u
fi
# A payload that does not exist: the child reports and exits 127.
expect_output "not found" 127 "exited 127" -- "$rt" -- /nonexistent/program
echo PASS
