/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * payload.h - the sealed payload shared by loader/ (which makes it) and
 * sandbox/ (which places its fd and executes it).
 */
#ifndef SEALEXEC_LOADER_PAYLOAD_H
#define SEALEXEC_LOADER_PAYLOAD_H

#include <stdbool.h>
#include <stdint.h>

#include "sealexec.h"

#define SEALEXEC_SHA256_LEN 32

struct sealexec_payload {
        int fd;         /* sealed memfd, O_CLOEXEC, owned */
        char *name;     /* path it was loaded from, or the caller's name for an fd */
        uint64_t size;  /* bytes sealed */
        unsigned seals; /* F_GET_SEALS after sealing */
        bool is_script; /* content starts with "#!" */
        bool is_data;   /* loaded with SEALEXEC_LOAD_DATA: never executable */
        bool in_root;   /* resolved beneath a --root directory, not the launcher's view */
        bool have_digest;
        unsigned char digest[SEALEXEC_SHA256_LEN];
};

#endif
