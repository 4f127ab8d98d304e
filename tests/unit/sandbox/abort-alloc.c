/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * abort-alloc.so: an allocator for LD_PRELOAD that forwards every call to
 * the real one (dlsym(RTLD_NEXT)) until armed, and from then on abort()s on
 * any allocation, reallocation or free. prepared-exec arms it after
 * sealexec_launch_prepare(), so a sealexec_launch_exec() that allocates in a
 * forked child dies of SIGABRT instead of passing.
 *
 * Armed by calling abort_alloc_arm(true) (found with dlsym(RTLD_DEFAULT), so
 * the program does not link against this object) or, from the start, by
 * ABORT_ALLOC_ARMED=1 in the environment. The flag is a plain global: a
 * forked child inherits it.
 *
 * glibc calls these symbols for its own allocations too (strdup, fopen,
 * opendir, asprintf...), which is what makes the check complete. While dlsym
 * resolves the real functions it may itself call calloc(); those early calls
 * are served from a static arena.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <malloc.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))

EXPORT void abort_alloc_arm(bool arm);
EXPORT bool abort_alloc_armed(void);

static volatile bool armed;

static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static void *(*real_reallocarray)(void *, size_t, size_t);
static void (*real_free)(void *);
static int (*real_posix_memalign)(void **, size_t, size_t);
static void *(*real_aligned_alloc)(size_t, size_t);
static void *(*real_memalign)(size_t, size_t);
static void *(*real_valloc)(size_t);
static void *(*real_pvalloc)(size_t);

/* For dlsym's own allocations before the real functions are known. */
static _Alignas(max_align_t) unsigned char arena[16384];
static size_t arena_used;
static bool resolving;

static bool in_arena(const void *p)
{
        return (const unsigned char *)p >= arena &&
               (const unsigned char *)p < arena + sizeof(arena);
}

static void *arena_alloc(size_t size)
{
        size_t aligned = (size + _Alignof(max_align_t) - 1) & ~(_Alignof(max_align_t) - 1);
        if (aligned > sizeof(arena) - arena_used)
                return NULL;
        void *p = arena + arena_used;
        arena_used += aligned;
        return p; /* static storage: already zero */
}

static void die(const char *what)
{
        static const char msg[] = "abort-alloc: allocation while armed: ";
        (void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
        (void)!write(STDERR_FILENO, what, strlen(what));
        (void)!write(STDERR_FILENO, "\n", 1);
        armed = false; /* abort() itself may allocate: one report is enough */
        abort();
}

static void resolve(void)
{
        if (real_malloc || resolving)
                return;
        resolving = true;
        real_malloc = dlsym(RTLD_NEXT, "malloc");
        real_calloc = dlsym(RTLD_NEXT, "calloc");
        real_realloc = dlsym(RTLD_NEXT, "realloc");
        real_reallocarray = dlsym(RTLD_NEXT, "reallocarray");
        real_free = dlsym(RTLD_NEXT, "free");
        real_posix_memalign = dlsym(RTLD_NEXT, "posix_memalign");
        real_aligned_alloc = dlsym(RTLD_NEXT, "aligned_alloc");
        real_memalign = dlsym(RTLD_NEXT, "memalign");
        real_valloc = dlsym(RTLD_NEXT, "valloc");
        real_pvalloc = dlsym(RTLD_NEXT, "pvalloc");
        resolving = false;
        if (!real_malloc || !real_calloc || !real_realloc || !real_free)
                die("cannot find the real allocator");
}

__attribute__((constructor)) static void init(void)
{
        resolve();
        const char *v = getenv("ABORT_ALLOC_ARMED");
        if (v && strcmp(v, "1") == 0)
                armed = true;
}

EXPORT void abort_alloc_arm(bool arm)
{
        armed = arm;
}

EXPORT bool abort_alloc_armed(void)
{
        return armed;
}

EXPORT void *malloc(size_t size)
{
        if (armed)
                die("malloc");
        resolve();
        return real_malloc ? real_malloc(size) : arena_alloc(size);
}

EXPORT void *calloc(size_t n, size_t size)
{
        if (armed)
                die("calloc");
        resolve();
        if (!real_calloc) {
                if (size && n > SIZE_MAX / size)
                        return NULL;
                return arena_alloc(n * size);
        }
        return real_calloc(n, size);
}

EXPORT void *realloc(void *p, size_t size)
{
        if (armed)
                die("realloc");
        resolve();
        if (in_arena(p)) {
                void *q = real_malloc(size);
                if (q)
                        memcpy(q, p, size); /* arena blocks are small and never grow */
                return q;
        }
        return real_realloc(p, size);
}

EXPORT void *reallocarray(void *p, size_t n, size_t size)
{
        if (armed)
                die("reallocarray");
        resolve();
        if (size && n > SIZE_MAX / size) {
                errno = ENOMEM;
                return NULL;
        }
        return real_reallocarray && !in_arena(p) ? real_reallocarray(p, n, size)
                                                 : realloc(p, n * size);
}

EXPORT void free(void *p)
{
        if (armed)
                die("free");
        if (!p || in_arena(p))
                return;
        resolve();
        real_free(p);
}

EXPORT int posix_memalign(void **ret, size_t alignment, size_t size)
{
        if (armed)
                die("posix_memalign");
        resolve();
        return real_posix_memalign(ret, alignment, size);
}

EXPORT void *aligned_alloc(size_t alignment, size_t size)
{
        if (armed)
                die("aligned_alloc");
        resolve();
        return real_aligned_alloc(alignment, size);
}

EXPORT void *memalign(size_t alignment, size_t size)
{
        if (armed)
                die("memalign");
        resolve();
        return real_memalign(alignment, size);
}

EXPORT void *valloc(size_t size)
{
        if (armed)
                die("valloc");
        resolve();
        return real_valloc(size);
}

EXPORT void *pvalloc(size_t size)
{
        if (armed)
                die("pvalloc");
        resolve();
        return real_pvalloc(size);
}
