/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sealexec.h - the one public header of libsealexec.
 *
 * sealexec launches a trusted program so that the bytes that were checked are
 * the bytes that run: the program (and any configuration files) is copied into
 * a memfd, sealed against every change, optionally verified against a SHA-256
 * digest, and executed by file descriptor after the process is confined.
 *
 * Conventions, for every function below:
 *   - Fallible functions return 0 (or a non-negative value where stated) on
 *     success and a negative errno value on failure.
 *   - The last parameter, `err`, may be NULL. When it is not NULL and the call
 *     fails, it receives a readable message and a classification that maps to
 *     the exit statuses of env(1) (see enum sealexec_error_kind).
 *   - Out-parameters are named ret_* and are written only on success.
 *   - The library never prints, never calls exit() and never aborts.
 *   - *_free() functions accept NULL.
 *   - Every descriptor the library creates is close-on-exec unless a function
 *     says otherwise.
 *   - Handles are not thread-safe; use one handle from one thread at a time.
 */
#ifndef SEALEXEC_H
#define SEALEXEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(SEALEXEC_BUILDING) && defined(__GNUC__)
#define SEALEXEC_API __attribute__((visibility("default")))
#else
#define SEALEXEC_API
#endif

/* ------------------------------------------------------------------------ */
/* Version                                                                  */
/* ------------------------------------------------------------------------ */

#define SEALEXEC_VERSION_MAJOR 0
#define SEALEXEC_VERSION_MINOR 1
#define SEALEXEC_VERSION_PATCH 0

/* Returns the library's version as "MAJOR.MINOR.PATCH" (static storage). */
SEALEXEC_API const char *sealexec_version(void);

/* ------------------------------------------------------------------------ */
/* Errors                                                                   */
/* ------------------------------------------------------------------------ */

/*
 * What a failure means for a launcher's exit status. The values are the exit
 * statuses that env(1), chroot(1) and podman use, so a command-line tool can
 * exit with the kind directly.
 */
typedef enum sealexec_error_kind {
        SEALEXEC_ERROR_NONE = 0,
        /* sealexec itself failed or refused (bad option, wrong digest,
         * confinement step failed, ...). */
        SEALEXEC_ERROR_REFUSED = 125,
        /* The payload exists but cannot be executed (not a regular file,
         * unreadable, not ELF nor a script, exec failed). */
        SEALEXEC_ERROR_CANNOT_EXECUTE = 126,
        /* The payload was not found. */
        SEALEXEC_ERROR_NOT_FOUND = 127,
} sealexec_error_kind;

#define SEALEXEC_ERROR_MESSAGE_MAX 512

typedef struct sealexec_error {
        int code;                 /* negative errno of the failure */
        sealexec_error_kind kind; /* how a launcher should report it */
        /* One line, without a program-name prefix or a trailing newline,
         * naming the step and the reason, e.g.
         * "payload '/x': not a regular file". */
        char message[SEALEXEC_ERROR_MESSAGE_MAX];
} sealexec_error;

/* ------------------------------------------------------------------------ */
/* Payloads: a file copied into a fully sealed memfd                        */
/* ------------------------------------------------------------------------ */

typedef struct sealexec_payload sealexec_payload;

/* Default size cap for anything loaded: 1 GiB. */
#define SEALEXEC_DEFAULT_MAX_SIZE (UINT64_C(1) << 30)

/* Longest digest string including its terminating NUL: "sha256:" + 64 hex. */
#define SEALEXEC_DIGEST_STRING_MAX 72

/* Flags for sealexec_payload_load_*(). */
enum {
        /* A name without '/' is looked up in $PATH the way execvp(3) does. */
        SEALEXEC_LOAD_SEARCH_PATH = 1u << 0,
        /* Load a configuration file: never executable (MFD_NOEXEC_SEAL where
         * the kernel has it), any content accepted, including empty. */
        SEALEXEC_LOAD_DATA = 1u << 1,
};

/*
 * Opens `path` safely (O_RDONLY|O_CLOEXEC|O_NOCTTY|O_NONBLOCK, regular files
 * only), copies it into a memfd, seals it (SHRINK, GROW, WRITE, EXEC where
 * available, SEAL) and checks the seals. Without SEALEXEC_LOAD_DATA the content
 * must start with an ELF header or "#!".
 *
 * max_size: 0 means SEALEXEC_DEFAULT_MAX_SIZE.
 * ret_payload: receives a new payload, owned by the caller
 *              (sealexec_payload_free()).
 */
SEALEXEC_API int sealexec_payload_load_path(const char *path, unsigned flags, uint64_t max_size,
                                            sealexec_payload **ret_payload, sealexec_error *err);

/*
 * Same as sealexec_payload_load_path() for a descriptor the caller has already
 * opened. `fd` is borrowed: it is read from offset 0 without moving its file
 * offset, and is never closed by the library.
 * `name` (may be NULL) is used in messages and --dry-run output.
 */
SEALEXEC_API int sealexec_payload_load_fd(int fd, const char *name, unsigned flags,
                                          uint64_t max_size, sealexec_payload **ret_payload,
                                          sealexec_error *err);

/*
 * Same as sealexec_payload_load_path() with `path` resolved beneath the
 * directory `root_fd` (a container's root filesystem) by openat2() with
 * RESOLVE_IN_ROOT|RESOLVE_NO_MAGICLINKS: absolute symlinks, ".." and
 * magic links cannot leave it. $PATH entries (SEALEXEC_LOAD_SEARCH_PATH) are
 * resolved beneath it too. root_fd is borrowed. Returns -ENOSYS (REFUSED)
 * where the kernel has no openat2: --root is refused rather than resolved
 * unsafely.
 */
SEALEXEC_API int sealexec_payload_load_in_root(int root_fd, const char *path, unsigned flags,
                                               uint64_t max_size, sealexec_payload **ret_payload,
                                               sealexec_error *err);

/*
 * For a "#!" payload: loads its interpreter (the path on the first line,
 * resolved beneath root_fd when root_fd >= 0, else from the filesystem) into
 * a sealed memfd of its own. ret_interpreter receives a new payload owned by
 * the caller; hand it to sealexec_launch_set_interpreter(). Returns -EINVAL
 * for a payload that is not a script.
 */
SEALEXEC_API int sealexec_payload_load_interpreter(const sealexec_payload *script, int root_fd,
                                                   uint64_t max_size,
                                                   sealexec_payload **ret_interpreter,
                                                   sealexec_error *err);

/*
 * Uses a descriptor that already is a fully sealed memfd (SEAL, SHRINK, GROW,
 * WRITE, and EXEC where the kernel has it; checked with fstatfs and
 * F_GET_SEALS) without copying it: a sealed memfd cannot change, so the
 * checks hold for its lifetime. `fd` is borrowed (the payload holds its own
 * read-only descriptor of the same memfd). flags: 0 or SEALEXEC_LOAD_DATA.
 * Returns -EMEDIUMTYPE for a descriptor that is not a memfd, -EPERM when a
 * seal is missing; use sealexec_payload_load_fd() to copy such a file.
 * ret_payload receives a new payload owned by the caller.
 */
SEALEXEC_API int sealexec_payload_adopt_fd(int fd, const char *name, unsigned flags,
                                           sealexec_payload **ret_payload, sealexec_error *err);

/*
 * A second handle on the same sealed memfd (a new descriptor, and what was
 * checked: size, seals, digest), so several launches in one process share
 * one copy. ret_payload receives a new payload owned by the caller.
 */
SEALEXEC_API int sealexec_payload_dup(const sealexec_payload *payload,
                                      sealexec_payload **ret_payload, sealexec_error *err);

/*
 * Computes the SHA-256 of the sealed content (once; later calls reuse it) and
 * writes "sha256:<64 lowercase hex>" into ret_digest, which must hold
 * SEALEXEC_DIGEST_STRING_MAX bytes.
 */
SEALEXEC_API int sealexec_payload_digest(sealexec_payload *payload,
                                         char ret_digest[SEALEXEC_DIGEST_STRING_MAX],
                                         sealexec_error *err);

/*
 * Checks the sealed content against `expected` ("sha256:HEX", hex in either
 * case). Returns 0 when it matches, -EBADMSG when it does not, -EINVAL when
 * `expected` is malformed.
 */
SEALEXEC_API int sealexec_payload_verify_digest(sealexec_payload *payload, const char *expected,
                                                sealexec_error *err);

/* The sealed memfd. Borrowed: it stays owned by the payload. */
SEALEXEC_API int sealexec_payload_fd(const sealexec_payload *payload);
/* Size of the sealed content in bytes. */
SEALEXEC_API uint64_t sealexec_payload_size(const sealexec_payload *payload);
/* The name it was loaded from (after $PATH lookup). Borrowed. */
SEALEXEC_API const char *sealexec_payload_name(const sealexec_payload *payload);
/* true when the content starts with "#!". */
SEALEXEC_API bool sealexec_payload_is_script(const sealexec_payload *payload);
/* The seals read back with F_GET_SEALS after loading. */
SEALEXEC_API unsigned sealexec_payload_seals(const sealexec_payload *payload);

/* Closes the memfd and frees the payload. Accepts NULL. */
SEALEXEC_API void sealexec_payload_free(sealexec_payload *payload);

/* ------------------------------------------------------------------------ */
/* The holder: one sealed copy per file version, shared by every launch     */
/* ------------------------------------------------------------------------ */

/* The socket of the installed service (data/sealexec-hold.socket). */
#define SEALEXEC_HOLD_DEFAULT_SOCKET "/run/sealexec/hold.sock"
/* Default cache size of a holder: 2 GiB of sealed copies. */
#define SEALEXEC_HOLD_DEFAULT_MAX_BYTES (UINT64_C(2) << 30)

/* More flags for sealexec_payload_load_held(). */
enum {
        /* Fail rather than fall back to a private copy when the holder cannot serve. */
        SEALEXEC_LOAD_HOLD_REQUIRE = 1u << 8,
        /* Do not take the holder's SHA-256: hash the sealed copy here when asked. */
        SEALEXEC_LOAD_HOLD_REHASH = 1u << 9,
};

/*
 * Like sealexec_payload_load_path() (or _load_in_root() when root_fd >= 0),
 * but the sealed copy comes from the holder listening on `socket_path`
 * (`sealexec hold`), shared with every other launch of the same file
 * version. The file is opened here, with the caller's permissions and the
 * same safe open; the holder only receives the descriptor. The answer is
 * used only if the holder runs as uid 0 or as the caller, and is a memfd
 * carrying every required seal, of the descriptor's size, executable
 * exactly when a program was asked for. The payload's digest is the one the
 * holder computed once (so sealexec_payload_verify_digest() does not hash
 * again) unless SEALEXEC_LOAD_HOLD_REHASH is given.
 *
 * flags: SEALEXEC_LOAD_SEARCH_PATH, SEALEXEC_LOAD_DATA,
 *        SEALEXEC_LOAD_HOLD_REQUIRE, SEALEXEC_LOAD_HOLD_REHASH.
 * Returns 0 when the holder's copy is used. When the holder is unreachable or
 * refuses, returns 1 after making a private copy instead, and `err` (if not
 * NULL) receives why the holder was not used, for a notice; with
 * SEALEXEC_LOAD_HOLD_REQUIRE that is a failure (REFUSED) instead. Failures to
 * open or use the file itself are reported as by sealexec_payload_load_path().
 * ret_payload receives a new payload owned by the caller.
 */
SEALEXEC_API int sealexec_payload_load_held(const char *socket_path, int root_fd, const char *path,
                                            unsigned flags, uint64_t max_size,
                                            sealexec_payload **ret_payload, sealexec_error *err);

/*
 * Creates the holder's listening socket (AF_UNIX, SOCK_SEQPACKET) at
 * socket_path with permissions `mode` (e.g. 0666: see SECURITY.md). A socket
 * left behind by a holder that is gone is replaced; a live one is -EADDRINUSE.
 * ret_fd receives the listening descriptor, owned by the caller.
 */
SEALEXEC_API int sealexec_hold_listen(const char *socket_path, unsigned mode, int *ret_fd,
                                      sealexec_error *err);

/*
 * Runs a holder on listen_fd (borrowed; from sealexec_hold_listen() or socket
 * activation) until SIGTERM or SIGINT, then returns 0. max_bytes bounds the
 * sealed copies kept (0: SEALEXEC_HOLD_DEFAULT_MAX_BYTES; least recently
 * used out). Blocks SIGTERM, SIGINT and SIGCHLD while it runs and forks one
 * worker process per copy; call it from a single-threaded process.
 */
SEALEXEC_API int sealexec_hold_serve(int listen_fd, uint64_t max_bytes, sealexec_error *err);

/*
 * Asks the holder at socket_path for its counters (and, for root or the
 * holder's own user, its entries). ret_text receives malloc'd text, JSON when
 * `json` is true, owned by the caller (free()).
 */
SEALEXEC_API int sealexec_hold_status(const char *socket_path, bool json, char **ret_text,
                                      sealexec_error *err);

/*
 * SHA-256 of a file as it is on disk, for `sealexec digest`: writes
 * "sha256:HEX" into ret_digest. Regular files only.
 */
SEALEXEC_API int sealexec_digest_file(const char *path, char ret_digest[SEALEXEC_DIGEST_STRING_MAX],
                                      sealexec_error *err);

/*
 * Protects the calling program from the CVE-2019-5736 class (a payload
 * overwriting the binary of the runtime that launched it): call it first
 * thing in main(). If /proc/self/exe is already a memfd carrying every seal
 * (recognised from F_GET_SEALS alone, without environment variables), it
 * returns 0 at once. Otherwise it copies /proc/self/exe into a sealed memfd
 * and re-executes itself from it with the same argv and environment; on
 * success it does not return. envp is the environment to pass (NULL: environ).
 */
SEALEXEC_API int sealexec_self_seal(int argc, char **argv, char **envp, sealexec_error *err);

/* ------------------------------------------------------------------------ */
/* Policies: what the payload may ask of the kernel                         */
/* ------------------------------------------------------------------------ */

typedef struct sealexec_policy sealexec_policy;

/*
 * A built-in profile by name: "default" (an allow-list in the spirit of
 * Docker's default profile; unknown syscalls get ENOSYS; ptrace and its
 * relatives, io_uring and foreign ABIs are denied), "docker" (Docker's default
 * profile) or "none" (no seccomp filter at all).
 * ret_policy: receives a new policy owned by the caller (sealexec_policy_free()).
 * Returns -ENOENT for an unknown name.
 */
SEALEXEC_API int sealexec_policy_new_profile(const char *name, sealexec_policy **ret_policy,
                                             sealexec_error *err);

/*
 * Loads a policy file: minijail's text format or OCI/Docker seccomp JSON (a
 * whole OCI config.json too), chosen by content, not by name. Errors carry
 * FILE:LINE:COL. `constants_path` (may be NULL) is a minijail constants.json
 * that adds named constants for the text format. This only parses: the
 * policy is compiled when it is used (sealexec_launch_prepare(), export,
 * explain), in process, by sealexec's own BPF generator in time linear in
 * its size; sealexec_policy_check_file() parses and compiles.
 */
SEALEXEC_API int sealexec_policy_load_file(const char *path, const char *constants_path,
                                           sealexec_policy **ret_policy, sealexec_error *err);

/*
 * Parses and compiles `path` as sealexec_policy_load_file() does, but goes on
 * after errors. ret_diagnostics receives malloc'd text owned by the caller:
 * one "FILE:LINE:COL: message" line per error, and "FILE:LINE:COL: warning:
 * ..." or "...: note: ..." lines for what is valid but worth knowing (an
 * errno above 4095, a notify action); empty when there is nothing to say.
 * Returns 0 when the policy is valid, -EINVAL when it has errors, another
 * negative errno when it could not be checked at all.
 */
SEALEXEC_API int sealexec_policy_check_file(const char *path, const char *constants_path,
                                            char **ret_diagnostics, sealexec_error *err);

/*
 * Compiles a policy to a classic-BPF seccomp program for this architecture,
 * as sealexec_launch_exec() would, but without the launch rule unless
 * launch_fd >= 0. kept_caps (may be NULL) is a capability list as for
 * sealexec_launch_keep_caps(), used to resolve Docker's includes/excludes.
 * ret_prog receives a malloc'd array of struct sock_filter owned by the
 * caller, ret_len its length in bytes.
 */
SEALEXEC_API int sealexec_policy_export_bpf(const sealexec_policy *policy, const char *kept_caps,
                                            int launch_fd, void **ret_prog, size_t *ret_len,
                                            sealexec_error *err);

/*
 * sealexec_policy_export_bpf() with a chosen code generator: backend is
 * "sealexec" (the default, also for NULL) or "libseccomp" (libseccomp's
 * compiler, kept for comparison: 2.5.4 miscompiles some 64-bit comparisons).
 * -EINVAL for another name.
 */
SEALEXEC_API int sealexec_policy_export_bpf_backend(const sealexec_policy *policy,
                                                    const char *kept_caps, int launch_fd,
                                                    const char *backend, void **ret_prog,
                                                    size_t *ret_len, sealexec_error *err);

/* Flags for sealexec_policy_explain(). */
enum {
        SEALEXEC_EXPLAIN_PFC = 1u << 0, /* add libseccomp's pseudo filter code */
        /* JSON instead of text, shape documented in sealexec-policy(5):
         * {"name", "kind", "default_action", "bad_arch_action",
         *  "architectures": [], "rules": [{"syscall", "action", "condition",
         *  "origin", "applied"}], "launch_rule", "skipped": [], "instructions",
         *  "per_architecture": [{"arch", "rules": [index], "missing": []}]} */
        SEALEXEC_EXPLAIN_JSON = 1u << 1,
};

/*
 * A readable explanation: default action, architectures, per-syscall actions
 * and conditions, skipped names, instruction count. kept_caps as for
 * sealexec_policy_export_bpf(). ret_text receives malloc'd text owned by the
 * caller.
 */
SEALEXEC_API int sealexec_policy_explain(const sealexec_policy *policy, const char *kept_caps,
                                         unsigned flags, char **ret_text, sealexec_error *err);

/*
 * Loads a precompiled classic-BPF seccomp program (an array of struct
 * sock_filter, at most 4096 instructions) to be installed as it is.
 */
SEALEXEC_API int sealexec_policy_load_bpf(const char *path, sealexec_policy **ret_policy,
                                          sealexec_error *err);

/*
 * Compiles `policy` once, for launches that keep `kept_caps` (as
 * sealexec_launch_keep_caps() spells them; NULL for none) and, when the
 * policy does not allow execveat itself, execute from `launch_fd` (what
 * sealexec_launch_exec_fd() returns: hard RLIMIT_NOFILE - 1; -1 when the
 * policy needs no launch rule, -EINVAL if it does). ret_compiled receives a
 * new precompiled policy owned by the caller that remembers those inputs and
 * the policy's filter flags: a launch that differs (other capabilities, other
 * exec fd) is refused at prepare rather than given a filter built for
 * another. Share it across launches with sealexec_policy_ref().
 */
SEALEXEC_API int sealexec_policy_compile(const sealexec_policy *policy, const char *kept_caps,
                                         int launch_fd, sealexec_policy **ret_compiled,
                                         sealexec_error *err);

/*
 * A precompiled classic-BPF program from memory (`size` bytes of struct
 * sock_filter, copied), installed with `filter_flags` (SECCOMP_FILTER_FLAG_
 * TSYNC, LOG, SPEC_ALLOW). ret_policy is owned by the caller.
 */
SEALEXEC_API int sealexec_policy_load_bpf_mem(const void *prog, size_t size, unsigned filter_flags,
                                              sealexec_policy **ret_policy, sealexec_error *err);

/*
 * Takes one more reference to `policy` and returns it: each
 * sealexec_launch_set_policy() and sealexec_policy_free() consumes one, and
 * the policy is freed with the last. Thread-safe. Accepts NULL.
 */
SEALEXEC_API sealexec_policy *sealexec_policy_ref(sealexec_policy *policy);

/* Drops one reference (see sealexec_policy_ref()); frees with the last. Accepts NULL. */
SEALEXEC_API void sealexec_policy_free(sealexec_policy *policy);

/* ------------------------------------------------------------------------ */
/* Launches: confinement settings, then exec of the sealed payload          */
/* ------------------------------------------------------------------------ */

typedef struct sealexec_launch sealexec_launch;

/* ret_launch: receives a new, empty launch owned by the caller. */
SEALEXEC_API int sealexec_launch_new(sealexec_launch **ret_launch, sealexec_error *err);

/* Frees a launch and everything it owns (payload, files, policy). Accepts NULL. */
SEALEXEC_API void sealexec_launch_free(sealexec_launch *launch);

/* Sets the program to run. Takes ownership of `payload`, also on failure. */
SEALEXEC_API int sealexec_launch_set_payload(sealexec_launch *launch, sealexec_payload *payload,
                                             sealexec_error *err);

/*
 * Hands a sealed configuration file (loaded with SEALEXEC_LOAD_DATA) to the
 * payload. Takes ownership of `file`, also on failure. `name` is copied; it
 * is [A-Za-z0-9_.-]+ and unique. The i-th file (from 0) appears in the payload
 * at fd B+i, where B is 3, or one more than the highest kept fd; its path is
 * /proc/self/fd/B+i, and "%{name}" in the argv and environment values becomes
 * that path.
 */
SEALEXEC_API int sealexec_launch_add_file(sealexec_launch *launch, const char *name,
                                          sealexec_payload *file, sealexec_error *err);

/*
 * The payload's argument vector, NULL-terminated and copied. argv[0] is what
 * the payload sees as its name, unless sealexec_launch_set_argv0() overrides it.
 */
SEALEXEC_API int sealexec_launch_set_argv(sealexec_launch *launch, char *const argv[],
                                          sealexec_error *err);
SEALEXEC_API int sealexec_launch_set_argv0(sealexec_launch *launch, const char *argv0,
                                           sealexec_error *err);

/*
 * Environment edits, applied in the order given to the launcher's environment
 * at exec time. clear_env empties it at that point in the order.
 * `assignment` is "NAME=VALUE"; `name` has no '='.
 */
SEALEXEC_API int sealexec_launch_set_env(sealexec_launch *launch, const char *assignment,
                                         sealexec_error *err);
SEALEXEC_API int sealexec_launch_unset_env(sealexec_launch *launch, const char *name,
                                           sealexec_error *err);
SEALEXEC_API int sealexec_launch_clear_env(sealexec_launch *launch, sealexec_error *err);

/*
 * An explicit environment (NULL-terminated "NAME=VALUE" strings, copied) that
 * replaces the caller's as the base the edits above apply to. NULL goes back
 * to the caller's environment at prepare time.
 */
SEALEXEC_API int sealexec_launch_set_envp(sealexec_launch *launch, char *const envp[],
                                          sealexec_error *err);

/*
 * Keeps descriptor `fd` open, at the same number, across the launch. Every
 * other descriptor except 0, 1, 2, the payload and the files is closed.
 * Returns -EBADF if fd is not open now.
 */
SEALEXEC_API int sealexec_launch_keep_fd(sealexec_launch *launch, int fd, sealexec_error *err);

/* Highest payload descriptor number sealexec_launch_map_fd() accepts. */
#define SEALEXEC_FD_MAP_MAX 65535

/*
 * Hands the caller's descriptor `parent_fd` to the payload as `child_fd`
 * (minijail's preserve_fd with a new number). parent_fd must be open now and
 * is borrowed until the launch; child_fd must not be kept or mapped twice.
 * Files then start above the highest kept or mapped number.
 */
SEALEXEC_API int sealexec_launch_map_fd(sealexec_launch *launch, int parent_fd, int child_fd,
                                        sealexec_error *err);

/* Working directory for the payload (copied). */
SEALEXEC_API int sealexec_launch_set_chdir(sealexec_launch *launch, const char *dir,
                                           sealexec_error *err);

/*
 * A resource limit, spelled as prlimit(1) does: "NAME=SOFT[:HARD]", NAME one
 * of as, core, cpu, data, fsize, locks, memlock, msgqueue, nice, nofile,
 * nproc, rss, rtprio, rttime, sigpending, stack; values are numbers or
 * "unlimited"; without HARD the hard limit equals SOFT.
 */
SEALEXEC_API int sealexec_launch_add_rlimit(sealexec_launch *launch, const char *spec,
                                            sealexec_error *err);

/*
 * User and group to switch to: a name or a number, resolved when called:
 * -ENOENT for an unknown name. A user's primary group is the default group;
 * a numeric uid without a passwd entry gets the gid of the same number.
 */
SEALEXEC_API int sealexec_launch_set_user(sealexec_launch *launch, const char *user,
                                          sealexec_error *err);
SEALEXEC_API int sealexec_launch_set_group(sealexec_launch *launch, const char *group,
                                           sealexec_error *err);

/* At most this many supplementary groups (sealexec_launch_set_groups()). */
#define SEALEXEC_GROUPS_MAX 256

/*
 * Supplementary groups, as a comma-separated list of names or numbers ("" for
 * none). Without a call the payload gets exactly its gid. Names are resolved
 * when called (-ENOENT for an unknown one), on the host or beneath the root
 * given to sealexec_launch_resolve_ids_in_root().
 */
SEALEXEC_API int sealexec_launch_set_groups(sealexec_launch *launch, const char *list,
                                            sealexec_error *err);

/*
 * Names given to set_user, set_group and set_groups after this call are
 * looked up in root_fd's /etc/passwd and /etc/group (read beneath it with
 * openat2 RESOLVE_IN_ROOT, regular files only, no NSS), as a container's own
 * names; a numeric uid's primary group too. root_fd is borrowed (the launch
 * keeps a duplicate); -1 goes back to the host's databases.
 */
SEALEXEC_API int sealexec_launch_resolve_ids_in_root(sealexec_launch *launch, int root_fd,
                                                     sealexec_error *err);

/*
 * Capabilities to keep through exec, as a comma-separated list of names
 * ("CAP_NET_BIND_SERVICE,chown"; case and the CAP_ prefix are optional).
 * Every other capability is dropped from all five sets. Calls accumulate.
 */
SEALEXEC_API int sealexec_launch_keep_caps(sealexec_launch *launch, const char *list,
                                           sealexec_error *err);

/*
 * The seccomp policy. Takes ownership of `policy`, also on failure. Without a
 * call, the built-in "default" profile applies.
 */
SEALEXEC_API int sealexec_launch_set_policy(sealexec_launch *launch, sealexec_policy *policy,
                                            sealexec_error *err);

/*
 * Executes a sealed interpreter for a "#!" payload instead of letting the
 * kernel resolve the interpreter from the filesystem: argv becomes
 * [interpreter, optional-arg, /dev/fd/N of the script, args...], as the
 * kernel builds it. Takes ownership of `interpreter`, also on failure.
 */
SEALEXEC_API int sealexec_launch_set_interpreter(sealexec_launch *launch,
                                                 sealexec_payload *interpreter,
                                                 sealexec_error *err);

/* How Landlock is applied. */
typedef enum sealexec_landlock_mode {
        /* Use what the kernel offers; say in describe() what is missing. */
        SEALEXEC_LANDLOCK_BEST_EFFORT = 0,
        /* Refuse the launch unless every requested restriction is enforced. */
        SEALEXEC_LANDLOCK_REQUIRE = 1,
} sealexec_landlock_mode;

SEALEXEC_API int sealexec_launch_set_landlock_mode(sealexec_launch *launch,
                                                   sealexec_landlock_mode mode,
                                                   sealexec_error *err);

/*
 * Filesystem rules: once any is given, the payload may read (and execute)
 * only beneath the read-only paths and read and write only beneath the
 * writable ones. The path is opened now (O_PATH) and copied.
 */
SEALEXEC_API int sealexec_launch_add_landlock_path(sealexec_launch *launch, const char *path,
                                                   bool writable, sealexec_error *err);

/* Landlock scopes (ABI 6+), on by default: see sealexec_launch_set_landlock_scopes(). */
enum {
        /* Signals only to processes inside the payload's Landlock domain. */
        SEALEXEC_SCOPE_SIGNAL = 1u << 0,
        /* Abstract unix sockets only to servers inside the domain. */
        SEALEXEC_SCOPE_ABSTRACT_UNIX = 1u << 1,
};

/*
 * The payload always enters a Landlock domain where the kernel has Landlock
 * (even without filesystem rules), which keeps it away from its parent's
 * /proc/PID/mem and from ptrace. `scopes` (default: both) selects which
 * scopes are added where the kernel has them; 0 turns both off for payloads
 * that must signal or connect outside.
 */
SEALEXEC_API int sealexec_launch_set_landlock_scopes(sealexec_launch *launch, unsigned scopes,
                                                     sealexec_error *err);

/*
 * Exec-once: after the launch, neither the payload nor anything it forks can
 * execute a program (see SECURITY.md for the mechanism and what it blocks).
 */
SEALEXEC_API int sealexec_launch_set_exec_once(sealexec_launch *launch, bool exec_once,
                                               sealexec_error *err);

/*
 * Root of the initial user namespace. By default a launch whose payload would
 * run as uid 0 in the initial user namespace is refused: with no capabilities
 * and under seccomp such a payload still owns every root-owned file on the
 * host (/etc, /proc/sys/kernel/core_pattern). `allow` true lets it run so;
 * SECURITY.md spells out the risk. A launch in a user namespace the caller set
 * up (uid 0 there maps to another uid) is not affected.
 */
SEALEXEC_API int sealexec_launch_set_allow_root(sealexec_launch *launch, bool allow,
                                                sealexec_error *err);

/*
 * Signals: by default the payload starts with an empty signal mask and every
 * signal at its default disposition, whatever the launcher inherited (a shell
 * that ignores SIGPIPE, a runtime that blocks SIGCHLD). `keep` true passes
 * the caller's mask and ignored signals on unchanged.
 */
SEALEXEC_API int sealexec_launch_set_keep_signals(sealexec_launch *launch, bool keep,
                                                  sealexec_error *err);

/*
 * A seccomp filter stacked after the policy's: socket(AF_UNIX, ...) fails
 * with EACCES, so the payload cannot reach named UNIX sockets (docker.sock),
 * which Landlock on current kernels does not restrict. Descriptors it
 * inherits stay usable.
 */
SEALEXEC_API int sealexec_launch_set_deny_unix(sealexec_launch *launch, bool deny,
                                               sealexec_error *err);

/*
 * SCMP_ACT_NOTIFY ("user-notify" in text policies): the policy's filter is
 * installed with a listener, which is sent (SCM_RIGHTS, with an OCI
 * "ContainerProcessState" JSON object naming it "seccompFd") over the
 * connected UNIX socket `socket_fd` (borrowed; the launch keeps a
 * duplicate), then closed before exec: the payload never holds it. A policy
 * with a notify action and no listener socket is refused at prepare. The
 * policy must allow sendmsg and close, which run after it is installed.
 */
SEALEXEC_API int sealexec_launch_set_seccomp_listener(sealexec_launch *launch, int socket_fd,
                                                      sealexec_error *err);

/* Connects a SOCK_STREAM UNIX socket to `path` for the above; ret_fd is the caller's. */
SEALEXEC_API int sealexec_connect_seccomp_listener(const char *path, int *ret_fd,
                                                   sealexec_error *err);

/* Starts a new session (setsid) so the payload has no controlling terminal. */
SEALEXEC_API int sealexec_launch_set_new_session(sealexec_launch *launch, bool new_session,
                                                 sealexec_error *err);

/*
 * Allows sealexec_launch_exec() in a process with several threads by loading
 * the seccomp filter with TSYNC. Capabilities and no_new_privs still apply
 * to the calling thread only; the caller takes responsibility for the others.
 */
SEALEXEC_API int sealexec_launch_allow_threads(sealexec_launch *launch, bool allow,
                                               sealexec_error *err);

/*
 * Makes the calling process non-dumpable (PR_SET_DUMPABLE 0): from then on no
 * other process of the same user can open /proc/PID/fd/N to write into a
 * memfd before it is sealed, nor ptrace the launcher. Call it before loading
 * anything. The kernel makes the process dumpable again at exec as usual.
 */
SEALEXEC_API int sealexec_protect_launcher(sealexec_error *err);

/*
 * A readable summary of what sealexec_launch_exec() would do: payload, size,
 * digest, seals, fds, capabilities, rlimits, user, policy. ret_text receives a
 * malloc'd, NUL-terminated string owned by the caller (free()).
 */
SEALEXEC_API int sealexec_launch_describe(sealexec_launch *launch, char **ret_text,
                                          sealexec_error *err);

/*
 * The same as JSON, for tools (shape documented in sealexec(1), "JSON
 * OUTPUT"): {"version": 1, "payload": {...}, "interpreter": {...}|null,
 * "argv": [], "env": [], "chdir", "files": [], "fds": [], "rlimits": [],
 * "user": {...}, "capabilities": {...}, "no_new_privs", "new_session",
 * "exec_once", "landlock": [str], "seccomp": {...}|null}. ret_json receives
 * a malloc'd, NUL-terminated string owned by the caller (free()).
 */
SEALEXEC_API int sealexec_launch_describe_json(sealexec_launch *launch, char **ret_json,
                                               sealexec_error *err);

/*
 * Builds the launch's plan now, while the caller is unconfined: the
 * descriptor layout with the final exec fd, argv and envp (the environment
 * edits are applied to the caller's environment as it is now), resolved ids,
 * capability sets, the Landlock ruleset and every seccomp program, compiled.
 * sealexec_launch_exec() then makes system calls only: no allocation, no
 * stdio, no fork, so a runtime can prepare once and call
 * sealexec_launch_exec() in children forked from a multithreaded parent.
 * Without a call, describe and exec prepare on first use. Settings changed
 * after a prepare are refused with -EBUSY.
 */
SEALEXEC_API int sealexec_launch_prepare(sealexec_launch *launch, sealexec_error *err);

/*
 * The descriptor number execveat() will use (preparing the launch if
 * needed): the payload's memfd slot, or, under a launch rule or exec-once,
 * hard RLIMIT_NOFILE - 1. A precompiled program (sealexec_policy_load_bpf)
 * that denies execveat must allow it on this fd. Negative errno on failure.
 */
SEALEXEC_API int sealexec_launch_exec_fd(sealexec_launch *launch, sealexec_error *err);

/*
 * Confines the calling process in order (new session; close fds; chdir and
 * environment; rlimits; exec-once fd; group and user; capabilities;
 * no_new_privs; Landlock; seccomp) and executes
 * the sealed payload with execveat(fd, "", argv, envp, AT_EMPTY_PATH).
 *
 * Returns only on failure, with a negative errno. After the first confinement
 * step has started the process is partly confined and must not go on to do
 * anything but report and exit. Safe to call in a child after fork(). The
 * calling process must have a single thread.
 */
SEALEXEC_API int sealexec_launch_exec(sealexec_launch *launch, sealexec_error *err);

#ifdef __cplusplus
}
#endif

#endif /* SEALEXEC_H */
