/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The Landlock step: settings, the plan for this kernel's ABI, the ruleset,
 * and its description. See landlock.h for why the payload always enters a
 * domain, and SECURITY.md for what each part blocks.
 *
 * Filesystem rules (--ro/--rw) make the ruleset handle every filesystem right
 * the kernel knows. Handling LANDLOCK_ACCESS_FS_EXECUTE then also applies to
 * the ELF interpreter the kernel loads for a dynamic payload, so the ruleset
 * gets exactly these additions for it:
 *   - the interpreter named by PT_INTERP (read from the sealed copy): read and
 *     execute on that file;
 *   - for a "#!" script, the interpreter named on its first line: read and
 *     execute on that file, plus that file's own PT_INTERP as above;
 *   - read-only (read files, list directories, no execute) beneath the
 *     interpreter's directory and the standard library directories /lib,
 *     /lib64, /lib32, /usr/lib, /usr/lib64, /usr/lib32, /usr/local/lib and the
 *     file /etc/ld.so.cache, for those that exist; only for dynamic payloads.
 * A static payload gets none of them.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/landlock.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "common/io.h"
#include "loader/loader.h"
#include "sandbox/landlock.h"
#include "sandbox/launch.h"

#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset 444
#endif
#ifndef __NR_landlock_add_rule
#define __NR_landlock_add_rule 445
#endif
#ifndef __NR_landlock_restrict_self
#define __NR_landlock_restrict_self 446
#endif
#ifndef LANDLOCK_CREATE_RULESET_VERSION
#define LANDLOCK_CREATE_RULESET_VERSION (1U << 0)
#endif

/* The ABI 6 layout; older kernels accept it as long as the fields they lack are zero. */
struct ll_ruleset_attr {
        uint64_t handled_access_fs;
        uint64_t handled_access_net;
        uint64_t scoped;
};

struct ll_path_beneath_attr {
        uint64_t allowed_access;
        int32_t parent_fd;
} __attribute__((packed));

#define FS_READ_RIGHTS                                                                             \
        (LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR)
#define FS_LIBRARY_RIGHTS (LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR)
#define FS_INTERP_RIGHTS  (LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_READ_FILE)
/* The rights that make sense on a file (the kernel refuses the others there). */
#define FS_FILE_RIGHTS                                                                             \
        (LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE |                              \
         LANDLOCK_ACCESS_FS_READ_FILE | LL_ACCESS_FS_TRUNCATE | LL_ACCESS_FS_IOCTL_DEV)
#define FS_ALL_RIGHTS ((UINT64_C(1) << 16) - 1)

static const char *const library_dirs[] = {
    "/lib",       "/lib64",     "/lib32",         "/usr/lib",
    "/usr/lib64", "/usr/lib32", "/usr/local/lib", "/etc/ld.so.cache",
};

/* --- settings --------------------------------------------------------------- */

SEALEXEC_API int sealexec_launch_set_landlock_mode(sealexec_launch *launch,
                                                   sealexec_landlock_mode mode, sealexec_error *err)
{
        if (launch && launch->plan) {
                return launch_busy(err);
        }
        if (!launch)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "landlock: no launch");
        if (mode != SEALEXEC_LANDLOCK_BEST_EFFORT && mode != SEALEXEC_LANDLOCK_REQUIRE)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "landlock: unknown mode %d",
                                (int)mode);
        launch->landlock.mode = mode;
        return 0;
}

SEALEXEC_API int sealexec_launch_set_landlock_scopes(sealexec_launch *launch, unsigned scopes,
                                                     sealexec_error *err)
{
        if (launch && launch->plan) {
                return launch_busy(err);
        }
        const unsigned all = SEALEXEC_SCOPE_SIGNAL | SEALEXEC_SCOPE_ABSTRACT_UNIX;
        if (!launch)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "landlock: no launch");
        if (scopes & ~all)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "landlock: unknown scope bits 0x%x", scopes & ~all);
        launch->landlock.scopes_off = all & ~scopes;
        return 0;
}

SEALEXEC_API int sealexec_launch_add_landlock_path(sealexec_launch *launch, const char *path,
                                                   bool writable, sealexec_error *err)
{
        if (launch && launch->plan) {
                return launch_busy(err);
        }
        const char *opt = writable ? "landlock read-write path" : "landlock read-only path";
        if (!launch || !path || !*path)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "%s: no path given", opt);
        /* Opened now, so the rule covers what the caller named, whatever happens later. */
        _cleanup_close_ int fd = open(path, O_PATH | O_CLOEXEC);
        if (fd < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED, "%s '%s'", opt, path);
        _cleanup_free_ char *copy = strdup(path);
        struct launch_landlock *ll = &launch->landlock;
        if (!copy ||
            array_reserve(&ll->paths, &ll->paths_cap, ll->n_paths + 1, sizeof(*ll->paths)) < 0)
                return se_oom(err, opt);
        ll->paths[ll->n_paths++] = (struct landlock_path_rule){
            .path = TAKE_PTR(copy),
            .fd = TAKE_FD(fd),
            .writable = writable,
        };
        return 0;
}

void launch_landlock_done(struct launch_landlock *ll)
{
        if (!ll)
                return;
        for (size_t i = 0; i < ll->n_paths; i++) {
                free(ll->paths[i].path);
                if (ll->paths[i].fd >= 0)
                        close(ll->paths[i].fd);
        }
        free(ll->paths);
        ll->paths = NULL;
        ll->n_paths = ll->paths_cap = 0;
}

/* --- the plan ---------------------------------------------------------------- */

int landlock_abi(void)
{
        long abi = syscall(__NR_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
        /* ENOSYS: not built in; EOPNOTSUPP: built in but disabled at boot. */
        return abi < 0 ? 0 : (int)abi;
}

uint64_t landlock_fs_rights(int abi)
{
        if (abi < 1)
                return 0;
        uint64_t rights = LANDLOCK_ACCESS_FS_MAKE_SYM | (LANDLOCK_ACCESS_FS_MAKE_SYM - 1);
        if (abi >= 2)
                rights |= LL_ACCESS_FS_REFER;
        if (abi >= 3)
                rights |= LL_ACCESS_FS_TRUNCATE;
        if (abi >= 5)
                rights |= LL_ACCESS_FS_IOCTL_DEV;
        return rights;
}

uint64_t landlock_rule_rights(uint64_t handled, bool writable, bool is_dir)
{
        uint64_t rights = (writable ? FS_ALL_RIGHTS : FS_READ_RIGHTS) & handled;
        return is_dir ? rights : rights & FS_FILE_RIGHTS;
}

static uint64_t scopes_to_kernel(unsigned scopes)
{
        return ((scopes & SEALEXEC_SCOPE_SIGNAL) ? LL_SCOPE_SIGNAL : 0) |
               ((scopes & SEALEXEC_SCOPE_ABSTRACT_UNIX) ? LL_SCOPE_ABSTRACT_UNIX_SOCKET : 0);
}

void landlock_plan_compute(int abi, sealexec_landlock_mode mode, unsigned scopes_off, bool fs_rules,
                           struct landlock_plan *ret_plan)
{
        unsigned wanted = (SEALEXEC_SCOPE_SIGNAL | SEALEXEC_SCOPE_ABSTRACT_UNIX) & ~scopes_off;
        struct landlock_plan plan = {.abi = abi, .fs_rules = fs_rules};

        if (abi >= 1) {
                plan.domain = true;
                plan.scopes = abi >= 6 ? wanted : 0;
                plan.scopes_lost = wanted & ~plan.scopes;
                plan.scoped = scopes_to_kernel(plan.scopes);
                if (fs_rules) {
                        plan.handled_fs = landlock_fs_rights(abi);
                        plan.fs_lost = FS_ALL_RIGHTS & ~plan.handled_fs;
                } else if (plan.scoped == 0) {
                        /*
                         * The kernel refuses a ruleset that handles nothing
                         * (ENOMSG). Handling MAKE_BLOCK without a rule makes a
                         * valid domain whose only filesystem effect is that
                         * block devices cannot be created anywhere.
                         */
                        plan.handled_fs = LANDLOCK_ACCESS_FS_MAKE_BLOCK;
                        plan.placeholder = true;
                }
        } else {
                plan.scopes_lost = wanted;
        }
        plan.refuse = mode == SEALEXEC_LANDLOCK_REQUIRE &&
                      (abi < 1 || plan.scopes_lost || (fs_rules && plan.fs_lost));
        *ret_plan = plan;
}

void landlock_plan_no_exec(struct landlock_plan *plan, bool no_exec)
{
        if (!no_exec || !plan->domain)
                return;
        plan->handled_fs |= LANDLOCK_ACCESS_FS_EXECUTE;
        plan->no_exec = true;
        if (plan->placeholder) {
                plan->handled_fs &= ~(uint64_t)LANDLOCK_ACCESS_FS_MAKE_BLOCK;
                plan->placeholder = false;
        }
}

/* --- interpreters ------------------------------------------------------------ */

/*
 * What the kernel loads besides the payload: a script's "#!" interpreter and
 * the ELF interpreter (ld.so) of what it runs, which reads the libraries.
 */
struct interp_needs {
        char *script_interp; /* a script's "#!" interpreter, or NULL */
        char *elf_interp;    /* PT_INTERP of what the kernel runs, or NULL (static) */
};

static void interp_needs_done(struct interp_needs *needs)
{
        free(needs->script_interp);
        free(needs->elf_interp);
}

/*
 * A script's interpreter is what the kernel will run from the launcher's
 * filesystem at exec time, so that is where it is read (for its PT_INTERP),
 * through the loader's safe open: regular files only, never blocking, no
 * device or FIFO ever opened. A script from --root names a path of the
 * container's choosing that the kernel would resolve on the host: refused
 * rather than read (--seal-interpreter seals the root's own interpreter).
 */
static int interp_needs_find(const sealexec_payload *payload, struct interp_needs *ret,
                             sealexec_error *err)
{
        struct interp_needs needs = {0};
        int elf_fd = payload->fd, r;
        _cleanup_close_ int script_interp_fd = -1;
        if (payload->is_script) {
                char label[LOADER_LABEL_MAX];
                struct loader_shebang sb;
                /* The loader's parser, the kernel's rules: one "#!" parser in sealexec. */
                r = loader_shebang_read(payload->fd, "script interpreter", &sb, err);
                if (r < 0)
                        return r;
                needs.script_interp = strdup(sb.name);
                if (!needs.script_interp)
                        return se_oom(err, "script interpreter");
                snprintf(label, sizeof(label), "script interpreter '%s'", needs.script_interp);
                if (payload->in_root)
                        r = se_error(err, -EPERM, SEALEXEC_ERROR_REFUSED,
                                     "%s: the script comes from a root directory, but the kernel "
                                     "would run the launcher's file of that name, not the "
                                     "root's; seal the interpreter "
                                     "(sealexec_launch_set_interpreter(), --seal-interpreter)",
                                     label);
                else
                        r = loader_open_regular(-1, needs.script_interp, label, false,
                                                &script_interp_fd, err);
                if (r < 0) {
                        interp_needs_done(&needs);
                        return r;
                }
                elf_fd = script_interp_fd;
        }
        r = elf_read_interp(elf_fd, &needs.elf_interp, err);
        if (r < 0) {
                interp_needs_done(&needs);
                return r;
        }
        *ret = needs;
        return 0;
}

/* --- the ruleset ------------------------------------------------------------- */

static int add_rule_fd(int ruleset_fd, int fd, uint64_t handled, bool writable, uint64_t only,
                       const char *what, sealexec_error *err)
{
        struct stat st;
        if (fstat(fd, &st) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED, "confine: landlock: %s",
                                      what);
        struct ll_path_beneath_attr attr = {
            .allowed_access = landlock_rule_rights(handled, writable, S_ISDIR(st.st_mode)) & only,
            .parent_fd = fd,
        };
        if (attr.allowed_access == 0)
                return 0;
        if (syscall(__NR_landlock_add_rule, ruleset_fd, LANDLOCK_RULE_PATH_BENEATH, &attr, 0) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                      "confine: landlock: rule for %s", what);
        return 0;
}

/* A rule on a path named by sealexec itself; a missing optional path is skipped. */
static int add_rule_path(int ruleset_fd, const char *path, uint64_t handled, uint64_t rights,
                         bool optional, sealexec_error *err)
{
        _cleanup_close_ int fd = open(path, O_PATH | O_CLOEXEC);
        if (fd < 0 && optional && errno == ENOENT)
                return 0;
        if (fd < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                      "confine: landlock: '%s'", path);
        return add_rule_fd(ruleset_fd, fd, handled, true, rights, path, err);
}

static int add_interp_rules(int ruleset_fd, const struct interp_needs *needs, uint64_t handled,
                            sealexec_error *err)
{
        int r = 0;
        if (needs->script_interp)
                r = add_rule_path(ruleset_fd, needs->script_interp, handled, FS_INTERP_RIGHTS,
                                  false, err);
        if (r < 0 || !needs->elf_interp)
                return r;
        r = add_rule_path(ruleset_fd, needs->elf_interp, handled, FS_INTERP_RIGHTS, false, err);
        if (r < 0)
                return r;
        _cleanup_free_ char *dir = strdup(needs->elf_interp);
        if (!dir)
                return se_oom(err, "confine: landlock");
        char *slash = strrchr(dir, '/');
        if (slash)
                slash[slash == dir ? 1 : 0] = '\0';
        if (slash)
                r = add_rule_path(ruleset_fd, dir, handled, FS_LIBRARY_RIGHTS, true, err);
        for (size_t i = 0; r >= 0 && i < ARRAY_SIZE(library_dirs); i++)
                r = add_rule_path(ruleset_fd, library_dirs[i], handled, FS_LIBRARY_RIGHTS, true,
                                  err);
        return r;
}

/* Under the exec guard with --ro/--rw: ld.so (sealed) still reads the libraries. */
static int add_library_rules(int ruleset_fd, uint64_t handled, sealexec_error *err)
{
        int r = 0;
        for (size_t i = 0; r >= 0 && i < ARRAY_SIZE(library_dirs); i++)
                r = add_rule_path(ruleset_fd, library_dirs[i], handled, FS_LIBRARY_RIGHTS, true,
                                  err);
        return r;
}

static int add_all_rules(int ruleset_fd, const sealexec_launch *launch, uint64_t handled,
                         bool no_exec, sealexec_error *err)
{
        const struct launch_landlock *ll = &launch->landlock;
        /* Under the exec guard no rule grants EXECUTE: nothing on any filesystem runs. */
        uint64_t grantable = no_exec ? FS_ALL_RIGHTS & ~LANDLOCK_ACCESS_FS_EXECUTE : FS_ALL_RIGHTS;
        for (size_t i = 0; i < ll->n_paths; i++) {
                int r = add_rule_fd(ruleset_fd, ll->paths[i].fd, handled, ll->paths[i].writable,
                                    grantable, ll->paths[i].path, err);
                if (r < 0)
                        return r;
        }
        if (!(handled & LANDLOCK_ACCESS_FS_EXECUTE))
                return 0;
        /* Without --ro/--rw nothing needs reading rights; the sealed ld.so needs no exec right. */
        if (no_exec && !ll->n_paths)
                return 0;
        if (no_exec)
                return add_library_rules(ruleset_fd, handled, err);
        struct interp_needs needs;
        int r = interp_needs_find(launch_exec_payload(launch), &needs, err);
        if (r < 0)
                return se_error_prefix(err, r, "confine: landlock");
        r = add_interp_rules(ruleset_fd, &needs, handled, err);
        interp_needs_done(&needs);
        return r;
}

static const char *describe_scopes(unsigned scopes)
{
        switch (scopes & (SEALEXEC_SCOPE_SIGNAL | SEALEXEC_SCOPE_ABSTRACT_UNIX)) {
        case SEALEXEC_SCOPE_SIGNAL:
                return "signal";
        case SEALEXEC_SCOPE_ABSTRACT_UNIX:
                return "abstract-unix";
        case SEALEXEC_SCOPE_SIGNAL | SEALEXEC_SCOPE_ABSTRACT_UNIX:
                return "signal,abstract-unix";
        default:
                return "none";
        }
}

static int refuse(const struct landlock_plan *plan, sealexec_error *err)
{
        if (plan->abi < 1)
                return se_error(err, -EOPNOTSUPP, SEALEXEC_ERROR_REFUSED,
                                "confine: landlock: required, but the kernel lacks Landlock");
        if (plan->scopes_lost)
                return se_error(err, -EOPNOTSUPP, SEALEXEC_ERROR_REFUSED,
                                "confine: landlock: required, but ABI %d lacks the scopes %s "
                                "(ABI 6 has them)",
                                plan->abi, describe_scopes(plan->scopes_lost));
        return se_error(err, -EOPNOTSUPP, SEALEXEC_ERROR_REFUSED,
                        "confine: landlock: required, but ABI %d lacks filesystem rights 0x%llx "
                        "(ABI 5 has them all)",
                        plan->abi, (unsigned long long)plan->fs_lost);
}

int landlock_prepare(const sealexec_launch *launch, bool no_exec, int *ret_ruleset_fd,
                     sealexec_error *err)
{
        const struct launch_landlock *ll = &launch->landlock;
        struct landlock_plan plan;
        landlock_plan_compute(landlock_abi(), ll->mode, ll->scopes_off, ll->n_paths > 0, &plan);
        landlock_plan_no_exec(&plan, no_exec);
        if (plan.refuse)
                return refuse(&plan, err);
        if (!plan.domain) {
                *ret_ruleset_fd = -1;
                return 0;
        }
        struct ll_ruleset_attr attr = {
            .handled_access_fs = plan.handled_fs,
            .scoped = plan.scoped,
        };
        /* Kernels before ABI 6 do not know `scoped`; give them only the part they know. */
        size_t size = plan.scoped ? sizeof(attr) : sizeof(attr.handled_access_fs);
        _cleanup_close_ int fd = (int)syscall(__NR_landlock_create_ruleset, &attr, size, 0);
        if (fd < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                      "prepare: landlock: create_ruleset");
        int r = add_all_rules(fd, launch, plan.handled_fs, no_exec, err);
        if (r < 0)
                return r;
        *ret_ruleset_fd = TAKE_FD(fd);
        return 0;
}

int landlock_enforce_fd(int ruleset_fd, sealexec_error *err)
{
        if (ruleset_fd < 0)
                return 0;
        int r = (int)syscall(__NR_landlock_restrict_self, ruleset_fd, 0);
        int e = errno;
        close(ruleset_fd);
        if (r < 0)
                return se_error_errno(err, -e, SEALEXEC_ERROR_REFUSED,
                                      "confine: landlock: restrict_self");
        return 0;
}

/* --- description ------------------------------------------------------------- */

static void describe_interp_rules(FILE *out, const sealexec_launch *launch)
{
        struct interp_needs needs;
        sealexec_error e;
        if (interp_needs_find(launch_exec_payload(launch), &needs, &e) < 0) {
                fprintf(out, ", loader: %s (the launch would be refused)", e.message);
                return;
        }
        if (needs.script_interp)
                fprintf(out, ", script interpreter %s (read+exec)", needs.script_interp);
        if (!needs.elf_interp) {
                fputs(", interpreter none (static)", out);
                interp_needs_done(&needs);
                return;
        }
        fprintf(out, ", interpreter %s (read+exec), loader read-only:", needs.elf_interp);
        char *slash = strrchr(needs.elf_interp, '/');
        int dir_len = slash ? (int)(slash == needs.elf_interp ? 1 : slash - needs.elf_interp) : 0;
        bool dir_listed = false;
        for (size_t i = 0; i < ARRAY_SIZE(library_dirs); i++)
                dir_listed |= strlen(library_dirs[i]) == (size_t)dir_len &&
                              strncmp(library_dirs[i], needs.elf_interp, dir_len) == 0;
        if (dir_len > 0 && !dir_listed)
                fprintf(out, " %.*s", dir_len, needs.elf_interp);
        for (size_t i = 0; i < ARRAY_SIZE(library_dirs); i++)
                if (access(library_dirs[i], F_OK) == 0)
                        fprintf(out, " %s", library_dirs[i]);
        interp_needs_done(&needs);
}

void landlock_describe(FILE *out, const sealexec_launch *launch, bool no_exec)
{
        const struct launch_landlock *ll = &launch->landlock;
        struct landlock_plan plan;
        landlock_plan_compute(landlock_abi(), ll->mode, ll->scopes_off, ll->n_paths > 0, &plan);
        landlock_plan_no_exec(&plan, no_exec);
        const char *refused = plan.refuse ? " (the launch would be refused)" : "";
        if (plan.abi < 1) {
                fprintf(out,
                        "landlock: unavailable (kernel lacks it): the payload can reach its "
                        "parent's /proc/PID/mem and ptrace it where seccomp does not stop it%s\n",
                        refused);
                return;
        }
        fprintf(out, "landlock: ABI %d, domain: yes, scopes: %s, fs: ", plan.abi,
                describe_scopes(plan.scopes));
        if (!plan.fs_rules)
                fputs(plan.placeholder ? "unrestricted except creating block devices"
                      : plan.no_exec   ? "unrestricted except executing"
                                       : "unrestricted",
                      out);
        for (size_t i = 0; i < ll->n_paths; i++)
                fprintf(out, "%s%s %s", i ? ", " : "", ll->paths[i].writable ? "rw" : "ro",
                        ll->paths[i].path);
        if (plan.no_exec)
                fputs(", execute: nowhere (exec guard)", out);
        else if (plan.fs_rules)
                describe_interp_rules(out, launch);
        fputs("\n", out);
        if (plan.scopes_lost)
                fprintf(out, "landlock not enforced: scopes %s (ABI 6 needed)%s\n",
                        describe_scopes(plan.scopes_lost), refused);
        if (plan.fs_rules && plan.fs_lost)
                fprintf(out, "landlock not enforced: filesystem rights 0x%llx (ABI 5 needed)%s\n",
                        (unsigned long long)plan.fs_lost, refused);
}
