/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer harness: OCI / Docker seccomp JSON (policy_parse_json). */
#include "fuzz_policy_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        fuzz_parse(policy_parse_json, FUZZ_POLICY_DIR "/fuzz.json", data, size);
        return 0;
}
