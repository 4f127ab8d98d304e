/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Side-effect-free parsing of option values; unit-tested in tests/unit/cli. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_parse_size(const char *text, uint64_t *ret_size)
{
        char *end;
        if (!text || !isdigit((unsigned char)text[0]))
                return -EINVAL;
        errno = 0;
        unsigned long long value = strtoull(text, &end, 10);
        if (errno == ERANGE)
                return -ERANGE;
        unsigned shift = 0;
        switch (*end) {
        case '\0':
                break;
        case 'K':
        case 'k':
                shift = 10;
                end++;
                break;
        case 'M':
        case 'm':
                shift = 20;
                end++;
                break;
        case 'G':
        case 'g':
                shift = 30;
                end++;
                break;
        default:
                return -EINVAL;
        }
        if (*end != '\0')
                return -EINVAL;
        if (shift && value > (UINT64_MAX >> shift))
                return -ERANGE;
        if (value == 0)
                return -EINVAL;
        *ret_size = (uint64_t)value << shift;
        return 0;
}

int cli_parse_fd(const char *text, int *ret_fd)
{
        char *end;
        if (!text || !isdigit((unsigned char)text[0]))
                return -EINVAL;
        errno = 0;
        long value = strtol(text, &end, 10);
        if (errno == ERANGE || *end != '\0' || value > INT_MAX)
                return -EINVAL;
        *ret_fd = (int)value;
        return 0;
}

int cli_parse_file_spec(char *arg, struct cli_file_spec *ret_spec, char *errbuf, size_t errsize)
{
        char *eq = strchr(arg, '=');
        if (!eq || eq == arg || eq[1] == '\0') {
                snprintf(errbuf, errsize, "--file '%s': expected NAME=PATH[@sha256:HEX]", arg);
                return -EINVAL;
        }
        *eq = '\0';
        struct cli_file_spec spec = {.name = arg, .path = eq + 1};
        /* The digest is whatever follows the last "@sha256:", so paths may contain '@'. */
        char *at = NULL;
        for (char *p = strstr(spec.path, "@sha256:"); p; p = strstr(p + 1, "@sha256:"))
                at = p;
        if (at) {
                *at = '\0';
                spec.digest = at + 1;
        }
        if (spec.path[0] == '\0') {
                snprintf(errbuf, errsize, "--file '%s': empty path", spec.name);
                return -EINVAL;
        }
        *ret_spec = spec;
        return 0;
}
