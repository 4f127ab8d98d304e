/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libFuzzer harness: the holder's request parser (holder/protocol.c), the
 * only code that reads what an untrusted client sends. Every input is
 * parsed; an accepted request must say what it was given (it is formatted
 * again and must come out byte for byte the same), and a refused one must
 * be refused with one of the documented codes. The answer parser gets the
 * same bytes, since a client parses what a holder sends.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "holder/protocol.h"

static void check_request(const uint8_t *data, size_t size)
{
        struct holder_request req;
        uint8_t again[HOLDER_REQUEST_MAX];
        int r = holder_request_parse(data, size, &req);
        if (r < 0) {
                if (r != -EBADMSG && r != -EMSGSIZE && r != -EPROTO)
                        abort();
                return;
        }
        if (strlen(req.name) > HOLDER_NAME_MAX)
                abort();
        int len = holder_request_format(&req, again, sizeof(again));
        if (len < 0 || (size_t)len != size || memcmp(again, data, size) != 0)
                abort();
}

static void check_answer(const uint8_t *data, size_t size)
{
        struct holder_answer ans;
        int r = holder_answer_parse(data, size, &ans);
        if (r < 0) {
                if (r != -EBADMSG && r != -EMSGSIZE && r != -EPROTO)
                        abort();
                return;
        }
        if (ans.text_len > HOLDER_TEXT_MAX || ans.error < 0 ||
            (const uint8_t *)ans.text + ans.text_len != data + size)
                abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        check_request(data, size);
        check_answer(data, size);
        return 0;
}
