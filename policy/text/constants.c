/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Named constants: the table generated from the system headers at build time,
 * and, when the caller gave one, a minijail constants.json, which wins: it is
 * the file the policy's author chose for the values (minijail itself reads
 * only that file).
 */
#include <stdlib.h>
#include <string.h>

#include "policy/text/constants.h"
#include "policy/text/text.h"

static int compare_name(const void *key, const void *elem)
{
        return strcmp(key, ((const struct text_constant *)elem)->name);
}

const struct text_constant *text_constant_lookup(const char *name)
{
        return bsearch(name, text_constants, text_constants_count, sizeof(text_constants[0]),
                       compare_name);
}

bool text_lookup_constant(const struct text_ctx *ctx, const char *name, struct text_value *ret)
{
        if (ctx->constants_json && text_constants_json_constant(ctx->constants_json, name, ret))
                return true;
        const struct text_constant *c = text_constant_lookup(name);
        if (!c)
                return false;
        *ret = (struct text_value){.v = c->value, .negative = c->negative};
        return true;
}
