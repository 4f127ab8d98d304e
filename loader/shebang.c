/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * shebang.c - the "#!" line of a sealed script, and its interpreter
 * loaded into a sealed memfd of its own (--seal-interpreter).
 *
 * Without this, the kernel resolves a script's interpreter from the
 * filesystem at exec time: the script is sealed, the program that reads it
 * is not. The line is parsed exactly as fs/binfmt_script.c (Linux 5.1+) does,
 * so that a script means the same thing with and without sealexec:
 *   - only the first BINPRM_BUF_SIZE (256) bytes count;
 *   - without a newline in them, the interpreter name must be followed by a
 *     space, tab or NUL (a cut-off name is refused), the argument is cut;
 *   - trailing spaces and tabs are removed, leading ones skipped;
 *   - everything after the first run of blanks is ONE argument.
 *
 * Decision: the interpreter path must be absolute. The kernel would resolve a
 * relative one against the working directory at exec time, which is after
 * --chdir, i.e. not where sealexec would load it from; sealing a different
 * file than the kernel would run is worse than refusing.
 *
 * The interpreter must be an ELF executable: a "#!" interpreter of a "#!"
 * interpreter is refused (the kernel would resolve the inner one from the
 * filesystem again, unsealed).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/error.h"
#include "common/io.h"
#include "loader/loader.h"

static bool spacetab(char c)
{
        return c == ' ' || c == '\t';
}

/* fs/binfmt_script.c's helpers, over [first, last]. */
static char *next_non_spacetab(char *first, const char *last)
{
        for (; first <= last; first++)
                if (!spacetab(*first))
                        return first;
        return NULL;
}

static char *next_terminator(char *first, const char *last)
{
        for (; first <= last; first++)
                if (spacetab(*first) || !*first)
                        return first;
        return NULL;
}

/* strnchr(): stops at the first NUL as well, as the kernel's does. */
static char *find_newline(char *buf, size_t size)
{
        for (size_t i = 0; i < size && buf[i]; i++)
                if (buf[i] == '\n')
                        return buf + i;
        return NULL;
}

int loader_shebang_parse(const char *data, size_t len, struct loader_shebang *ret)
{
        /* The kernel's buffer: zero-filled past the end of a short file. */
        char buf[LOADER_BINPRM_BUF_SIZE + 1] = {0};
        const char *buf_end = buf + LOADER_BINPRM_BUF_SIZE - 1;
        char *cp, *i_name, *i_arg = NULL;

        memcpy(buf, data, len < LOADER_BINPRM_BUF_SIZE ? len : LOADER_BINPRM_BUF_SIZE);
        if (buf[0] != '#' || buf[1] != '!')
                return -ENOEXEC;

        cp = find_newline(buf, LOADER_BINPRM_BUF_SIZE);
        if (!cp) {
                cp = next_non_spacetab(buf + 2, buf_end);
                if (!cp)
                        return -ENOEXEC; /* only blanks */
                if (!next_terminator(cp, buf_end))
                        return -ENOEXEC; /* the interpreter name may be cut off */
                cp = buf + LOADER_BINPRM_BUF_SIZE - 1;
        }
        *cp = '\0';
        while (cp > buf) {
                cp--;
                if (!spacetab(*cp))
                        break;
                *cp = '\0';
        }
        for (cp = buf + 2; spacetab(*cp); cp++)
                ;
        if (*cp == '\0')
                return -ENOEXEC; /* no interpreter name */
        i_name = cp;
        for (; *cp && !spacetab(*cp); cp++)
                ;
        while (spacetab(*cp))
                *cp++ = '\0';
        if (*cp)
                i_arg = cp;

        /* Both fit: each is a part of a buffer of LOADER_BINPRM_BUF_SIZE bytes. */
        struct loader_shebang sb = {.has_arg = i_arg != NULL};
        strcpy(sb.name, i_name);
        if (i_arg)
                strcpy(sb.arg, i_arg);
        *ret = sb;
        return 0;
}

int loader_shebang_read(int fd, const char *label, struct loader_shebang *ret, sealexec_error *err)
{
        char buf[LOADER_BINPRM_BUF_SIZE];
        ssize_t n = io_pread_upto(fd, buf, sizeof(buf), 0);

        if (n < 0)
                return se_error_errno(err, (int)n, SEALEXEC_ERROR_REFUSED,
                                      "%s: cannot read sealed memfd", label);
        if (loader_shebang_parse(buf, (size_t)n, ret) < 0)
                return se_error(err, -ENOEXEC, SEALEXEC_ERROR_CANNOT_EXECUTE,
                                "%s: no interpreter on the #! line within its first %d bytes",
                                label, LOADER_BINPRM_BUF_SIZE);
        return 0;
}

static int load_elf_interpreter(const struct loader_shebang *sb, int root_fd, uint64_t max_size,
                                const char *label, sealexec_payload **ret, sealexec_error *err)
{
        sealexec_payload *interp = NULL;
        int r = root_fd >= 0
                    ? sealexec_payload_load_in_root(root_fd, sb->name, 0, max_size, &interp, err)
                    : sealexec_payload_load_path(sb->name, 0, max_size, &interp, err);
        if (r < 0) {
                if (err)
                        se_error_prefix(err, r, "%s: interpreter", label);
                return r;
        }
        if (interp->is_script) {
                sealexec_payload_free(interp);
                return se_error(err, -ENOEXEC, SEALEXEC_ERROR_CANNOT_EXECUTE,
                                "%s: interpreter '%s' is itself a #! script; a sealed "
                                "interpreter must be an ELF executable",
                                label, sb->name);
        }
        *ret = interp;
        return 0;
}

SEALEXEC_API int sealexec_payload_load_interpreter(const sealexec_payload *script, int root_fd,
                                                   uint64_t max_size,
                                                   sealexec_payload **ret_interpreter,
                                                   sealexec_error *err)
{
        char label[LOADER_LABEL_MAX];
        struct loader_shebang sb;
        int r;

        if (!script || !ret_interpreter)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "interpreter: no script given");
        loader_label_path(label, sizeof(label), script->name ? script->name : "?", script->is_data);
        if (script->is_data || !script->is_script)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "%s: not a #! script, it has no interpreter", label);
        r = loader_shebang_read(script->fd, label, &sb, err);
        if (r < 0)
                return r;
        if (sb.name[0] != '/')
                return se_error(err, -ENOEXEC, SEALEXEC_ERROR_CANNOT_EXECUTE,
                                "%s: interpreter '%s' is a relative path; sealing the "
                                "interpreter needs an absolute one",
                                label, sb.name);
        return load_elf_interpreter(&sb, root_fd, max_size, label, ret_interpreter, err);
}
