#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# examples/config-service: the service reads its sealed configuration and
# cannot change it.
#   test-config-service.sh SEALEXEC EXAMPLES_DIR
. "$2/tests/lib.sh"
expect_output "config-service" 0 "service: hello from a sealed configuration on port 8080" \
        -- env SEALEXEC="$1" sh "$2/config-service/run.sh"
expect_output "config sealed" 0 "config writable: no" -- env SEALEXEC="$1" sh "$2/config-service/run.sh"
echo PASS
