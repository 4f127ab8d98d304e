/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer harness: minijail's text format (policy_parse_text). */
#include "fuzz_policy_common.h"

static int parse_text(const char *path, const char *text, size_t len, struct policy_diag *diag,
                      struct sealexec_policy **ret_policy, sealexec_error *err)
{
        return policy_parse_text(path, text, len, NULL, diag, ret_policy, err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        fuzz_parse(parse_text, FUZZ_POLICY_DIR "/fuzz.policy", data, size);
        return 0;
}
