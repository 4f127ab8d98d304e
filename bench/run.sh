#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# bench/run.sh [--quick]: sealexec's benchmark, every case in one run on one
# machine, with ratios always taken against baselines measured in the same run.
#
#   1. launch     a tiny static program: bare, env, sealexec under each seccomp
#                 source, bwrap and runc with the same profile, firejail
#   2. payload    40 KB .. 512 MB payloads: load+seal(+exec), load+verify,
#                 against cp to tmpfs and openssl dgst -sha256 (MB/s)
#   3. compile    `sealexec policy compile` of the built-in and sample policies
#   4. syscalls   ns per syscall inside the payload under each profile
#   5. memory     peak RSS of sealexec and what stays resident per payload
#
# Needs root (firejail, runc and apt-get do). Installs what is missing from
# Debian's packages, builds sealexec into $BUILD_DIR (default
# /tmp/build-bench) unless SEALEXEC=/path/to/sealexec is given, prints a
# table and the targets (reported, never asserted), and writes bench/results/
# (CSV, summary.json, bench.png, launch-analysis.txt). Payloads are generated
# in /dev/shm and deleted at the end.
#
# Environment: SEALEXEC, BUILD_DIR, SOURCE_REV, RESULTS (default bench/results), KEEP=1
# keeps the work directory (hyperfine JSON, logs) for inspection, CASES
# (default "launch payload compile syscalls memory analysis") runs a subset.
set -euo pipefail
export LC_ALL=C

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
RESULTS=${RESULTS:-$BENCH_DIR/results}
QUICK=0

usage() {
        sed -n '3,26p' "$0" | sed 's/^# \{0,1\}//'
}

for arg in "$@"; do
        case $arg in
        --quick) QUICK=1 ;;
        -h | --help) usage; exit 0 ;;
        *) echo "run.sh: unknown argument '$arg' (see --help)" >&2; exit 2 ;;
        esac
done

START_EPOCH=$(date +%s)
log() { printf '[%4ds] %s\n' $(($(date +%s) - START_EPOCH)) "$*" >&2; }

# ---------------------------------------------------------------------------
# Run sizes. --quick keeps every case but with fewer runs and without 512 MB.
# ---------------------------------------------------------------------------
if [ "$QUICK" = 1 ]; then
        FAST_RUNS=40 FAST_WARMUP=3 SLOW_RUNS=8 SLOW_WARMUP=1 COMPILE_RUNS=20 PASSES=2
        PAYLOAD_SIZES="40K 4M 64M"
        SYSCALL_N=10000 SYSCALL_ROUNDS=7 SYSCALL_REPEATS=2 MEM_REPEATS=1
else
        FAST_RUNS=300 FAST_WARMUP=5 SLOW_RUNS=30 SLOW_WARMUP=2 COMPILE_RUNS=100 PASSES=4
        PAYLOAD_SIZES="40K 4M 64M 512M"
        SYSCALL_N=10000 SYSCALL_ROUNDS=15 SYSCALL_REPEATS=5 MEM_REPEATS=3
fi

# ---------------------------------------------------------------------------
# Setup: packages, sealexec, the static programs, a work directory.
# ---------------------------------------------------------------------------
install_missing() {
        local packages="hyperfine bubblewrap firejail runc gnuplot-nox jq time strace openssl
                        gcc libc6-dev cmake make pkg-config libseccomp-dev libcap-dev libssl-dev
                        libjansson-dev coreutils bc bsdextrautils"
        local missing="" p
        for p in $packages; do
                dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
                        missing="$missing $p"
        done
        [ -z "$missing" ] && return 0
        if [ "$(id -u)" != 0 ]; then
                log "missing packages:$missing (not root: cannot install; cases needing them become n/a)"
                return 0
        fi
        log "installing from Debian:$missing"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        # shellcheck disable=SC2086
        apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

# As root, sealexec refuses a payload that would stay uid 0 of the host unless
# told otherwise; the benchmark compares like with like (env runs tiny as
# root too), so every sealexec case says --allow-root.
ALLOW=
[ "$(id -u)" = 0 ] && ALLOW=--allow-root

build_sealexec() {
        if [ -n "${SEALEXEC:-}" ]; then
                SE=$(readlink -f "$SEALEXEC")
                BUILD_NOTE="given as SEALEXEC=$SEALEXEC"
                return 0
        fi
        local dir=${BUILD_DIR:-/tmp/build-bench}
        log "building sealexec (RelWithDebInfo) in $dir"
        # Tests are not needed to benchmark the command, and a half-built test
        # tree must not stop the benchmark.
        cmake -S "$ROOT" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF \
                >"$WORK/cmake.log" 2>&1
        cmake --build "$dir" -j"$(nproc)" --target sealexec_bin >>"$WORK/cmake.log" 2>&1 || {
                tail -20 "$WORK/cmake.log" >&2
                echo "run.sh: building sealexec failed (log above)" >&2
                exit 1
        }
        SE=$dir/cli/sealexec
        build_static_variant "$dir"
        # SOURCE_REV names the source when $ROOT is not a git work tree (an export).
        local rev=${SOURCE_REV:-}
        if [ -z "$rev" ]; then
                rev="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(
                        git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo '+changes')"
        fi
        BUILD_NOTE="built from $rev, RelWithDebInfo"
}

# A what-if, not the shipped binary: the same CLI and library objects linked
# with -static (libseccomp, libcap, jansson and libcrypto from their .a), to
# show what dynamic linking costs at each launch. Rows using it are marked
# "(static link)" and no target uses them.
build_static_variant() {
        local dir=$1
        SE_STATIC=""
        [ -f "$dir/cli/libsealexec_cli.a" ] && [ -f "$dir/libsealexec.a" ] || return 0
        if cc -static -O2 -D_GNU_SOURCE -I"$ROOT/include" -I"$ROOT/cli" -o "$dir/sealexec-static" \
                "$ROOT/cli/main.c" "$dir/cli/libsealexec_cli.a" "$dir/libsealexec.a" \
                -lseccomp -lcap -ljansson -lcrypto -lpthread >>"$WORK/cmake.log" 2>&1; then
                SE_STATIC=$dir/sealexec-static
        else
                log "static what-if variant did not link (see cmake.log); its rows are n/a"
        fi
}

build_programs() {
        mkdir -p "$BIN"
        local p
        for p in tiny syscalls sleeper fdexec; do
                cc -static -O2 -o "$BIN/$p" "$BENCH_DIR/$p.c"
        done
        cc -static -nostdlib -O2 -fno-stack-protector -fno-pie -no-pie -o "$BIN/payload" \
                "$BENCH_DIR/payload.c"
        TINY=$BIN/tiny
}

cleanup() {
        local pid
        for pid in ${SLEEPER_PIDS:-}; do kill "$pid" 2>/dev/null || true; done
        if [ "${KEEP:-0}" = 1 ]; then
                log "kept work directory $WORK"
        else
                rm -rf "${WORK:?}"
        fi
        rm -rf "${SHM:?}"
}

# ---------------------------------------------------------------------------
# Measurement helpers. Every command runs under `hyperfine -N` (no shell), so
# no case pays a shell that another does not; bwrap, which reads its filter
# from a descriptor, gets it from the static helper fdexec, whose own cost is
# measured as a case of its own.
# ---------------------------------------------------------------------------
declare -A MED MIN NA LABEL

# probe ID CMD...: runs CMD once; on failure records "n/a: reason" for ID.
probe() {
        local id=$1
        shift
        local rc=0
        timeout 60 "$@" >"$WORK/probe.out" 2>"$WORK/probe.err" </dev/null || rc=$?
        if [ "$rc" != 0 ]; then
                local why
                why=$(grep -v '^$' "$WORK/probe.err" | tail -1 | cut -c1-160 | tr ',"' ';'"'")
                NA[$id]="exit $rc${why:+: $why}"
                log "n/a $id: ${NA[$id]}"
                return 1
        fi
        return 0
}

# hf_pass ID RUNS WARMUP PREPARE CMD...: one hyperfine run of CMD (PREPARE may
# be ""), its per-run times (seconds) appended to $WORK/times/ID.
hf_pass() {
        local id=$1 runs=$2 warmup=$3 prepare=$4
        shift 4
        local json=$WORK/json/$id.json
        local -a extra=()
        if [ -n "$prepare" ]; then extra=(--prepare "$prepare"); fi
        if ! hyperfine -N --style basic --runs "$runs" --warmup "$warmup" "${extra[@]}" \
                --export-json "$json" "$*" >>"$WORK/hyperfine.log" 2>&1; then
                NA[$id]="hyperfine failed (see the work directory's hyperfine.log)"
                return 1
        fi
        jq -r '.results[0].times[]' "$json" >>"$WORK/times/$id"
}

# record CSV ID LABEL: statistics of every time measured for ID, appended to
# CSV as "id,label,median_ms,mean_ms,stddev_ms,min_ms,runs,note".
record() {
        local csv=$1 id=$2 label=$3
        LABEL[$id]=$label
        if [ -n "${NA[$id]:-}" ] || [ ! -s "$WORK/times/$id" ]; then
                echo "$id,\"$label\",n/a,,,,0,\"${NA[$id]:-no measurement}\"" >>"$csv"
                return 0
        fi
        local stats
        stats=$(sort -g "$WORK/times/$id" | awk '{ v[NR] = $1; s += $1; q += $1 * $1 }
                END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
                      mean = s / NR; sd = NR > 1 ? sqrt((q - NR * mean * mean) / (NR - 1)) : 0
                      printf "%.9f %.9f %.9f %.9f %d", m, mean, sd, v[1], NR }')
        local med mean sd min n
        read -r med mean sd min n <<<"$stats"
        MED[$id]=$med
        MIN[$id]=$min
        printf '%s,"%s",%.4f,%.4f,%.4f,%.4f,%d,\n' "$id" "$label" "$(echo "$med * 1000" | bc -l)" \
                "$(echo "$mean * 1000" | bc -l)" "$(echo "$sd * 1000" | bc -l)" \
                "$(echo "$min * 1000" | bc -l)" "$n" >>"$csv"
        log "$(printf '%-16s %10.3f ms  %s' "$id" "$(echo "$med * 1000" | bc -l)" "$label")"
}

# ratio A B: MED[A]/MED[B] with 3 decimals, or "n/a".
ratio() {
        if [ -n "${MED[$1]:-}" ] && [ -n "${MED[$2]:-}" ]; then
                printf '%.3f' "$(echo "${MED[$1]} / ${MED[$2]}" | bc -l)"
        else
                echo n/a
        fi
}

ms() {
        if [ -n "${MED[$1]:-}" ]; then
                printf '%.3f' "$(echo "${MED[$1]} * 1000" | bc -l)"
        else
                echo "n/a"
        fi
}

size_bytes() {
        numfmt --from=iec "$1"
}

# ---------------------------------------------------------------------------
# Case 1: launch of a tiny static program.
# ---------------------------------------------------------------------------
prepare_runc_bundle() {
        RUNC_BUNDLE=$WORK/runc-bundle
        mkdir -p "$RUNC_BUNDLE/rootfs"
        cp "$TINY" "$RUNC_BUNDLE/rootfs/tiny"
        (cd "$RUNC_BUNDLE" && runc spec) || return 1
        # runc compiles the same Docker profile at launch, as `sealexec run
        # --policy` does; oci-seccomp.jq resolves Docker's includes/excludes
        # for amd64 and runc spec's default capabilities.
        jq -f "$BENCH_DIR/oci-seccomp.jq" "$BENCH_DIR/docker-default.json" >"$WORK/oci-seccomp.json"
        jq --slurpfile s "$WORK/oci-seccomp.json" \
                '.process.args = ["/tiny"] | .process.terminal = false | .root.readonly = true
                 | .linux.seccomp = $s[0]' \
                "$RUNC_BUNDLE/config.json" >"$WORK/config.json"
        mv "$WORK/config.json" "$RUNC_BUNDLE/config.json"
}

# Registered cases: label, command (split on blanks: no path used here may
# contain one), runs, warm-up runs and an optional command run before each
# timed run (hyperfine --prepare).
declare -A C_LABEL C_CMD C_RUNS C_WARMUP C_PREP

add_case() {
        C_LABEL[$1]=$2
        C_CMD[$1]=$3
        C_RUNS[$1]=$4
        C_WARMUP[$1]=$5
        C_PREP[$1]=${6:-}
}

# run_cases CSV PASSES ID...: probes each case (n/a with the reason when it
# fails), then measures them in PASSES passes of RUNS/PASSES runs whose order
# alternates, so that a burst of load from other processes spreads over every
# case instead of falling on one; then records all the times of each case.
run_cases() {
        local csv=$1 passes=$2 id pass i
        shift 2
        local -a ok=()
        for id in "$@"; do
                if [ -n "${C_PREP[$id]}" ]; then ${C_PREP[$id]}; fi
                # shellcheck disable=SC2086
                if [ -z "${NA[$id]:-}" ] && probe "$id" ${C_CMD[$id]}; then ok+=("$id"); fi
        done
        for ((pass = 0; pass < passes; pass++)); do
                local -a order=()
                if ((pass % 2)); then
                        for ((i = ${#ok[@]} - 1; i >= 0; i--)); do order+=("${ok[$i]}"); done
                else
                        order=("${ok[@]}")
                fi
                for id in "${order[@]}"; do
                        local runs=$(((C_RUNS[$id] + passes - 1) / passes))
                        # shellcheck disable=SC2086
                        hf_pass "$id" "$runs" "${C_WARMUP[$id]}" "${C_PREP[$id]}" ${C_CMD[$id]} || true
                done
        done
        for id in "$@"; do
                record "$csv" "$id" "${C_LABEL[$id]}"
        done
}

case_launch() {
        local csv=$RESULTS/launch.csv f=$FAST_RUNS w=$FAST_WARMUP sr=$SLOW_RUNS sw=$SLOW_WARMUP
        echo "id,label,median_ms,mean_ms,stddev_ms,min_ms,runs,note" >"$csv"
        log "case 1: launch of a tiny static program ($PASSES passes)"
        BPF=$WORK/docker.bpf
        probe compile_bpf "$SE" policy compile "$BENCH_DIR/docker-default.json" -o "$BPF" || true
        local bwrap firejail
        bwrap=$(command -v bwrap || echo bwrap)
        firejail=$(command -v firejail || echo firejail)

        add_case bare "bare exec of tiny" "$TINY" $f $w
        add_case env "env tiny" "/usr/bin/env $TINY" $f $w
        add_case startup "sealexec --version (start-up only)" "$SE --version" $f $w
        add_case se_none "sealexec run --profile none" "$SE run $ALLOW --profile none -- $TINY" $f $w
        add_case se_default "sealexec run (default profile)" "$SE run $ALLOW -- $TINY" $f $w
        add_case se_docker "sealexec run --profile docker" "$SE run $ALLOW --profile docker -- $TINY" $f $w
        add_case se_policy "sealexec run --policy docker-default.json" \
                "$SE run $ALLOW --policy $BENCH_DIR/docker-default.json -- $TINY" $f $w
        add_case se_bpf "sealexec run --seccomp-bpf docker.bpf" \
                "$SE run $ALLOW --seccomp-bpf $BPF -- $TINY" $f $w
        add_case fdexec "fdexec 10 docker.bpf tiny (helper cost)" "$BIN/fdexec 10 $BPF $TINY" $f $w
        add_case bwrap "bwrap --ro-bind / / --seccomp 10 (docker.bpf)" \
                "$BIN/fdexec 10 $BPF $bwrap --ro-bind / / --seccomp 10 $TINY" $f $w
        add_case firejail "firejail --noprofile --seccomp" \
                "$firejail --quiet --noprofile --seccomp $TINY" $sr $sw
        add_case runc "runc run (Docker profile as OCI seccomp)" \
                "runc run --bundle $WORK/runc-bundle sealexec-bench-$$" $sr $sw
        if ! command -v runc >/dev/null || ! prepare_runc_bundle >"$WORK/runc-spec.log" 2>&1; then
                NA[runc]="runc missing or 'runc spec' failed: $(tail -1 "$WORK/runc-spec.log" 2>/dev/null | tr ',"' ";'")"
        fi
        local st=${SE_STATIC:-/nonexistent/sealexec-static}
        [ -n "${SE_STATIC:-}" ] || NA[st_none]="no static variant" NA[st_bpf]="no static variant" \
                NA[st_policy]="no static variant"
        add_case st_none "what-if: sealexec (static link) run --profile none" \
                "$st run $ALLOW --profile none -- $TINY" $f $w
        add_case st_bpf "what-if: sealexec (static link) run --seccomp-bpf docker.bpf" \
                "$st run $ALLOW --seccomp-bpf $BPF -- $TINY" $f $w
        add_case st_policy "what-if: sealexec (static link) run --policy docker-default.json" \
                "$st run $ALLOW --policy $BENCH_DIR/docker-default.json -- $TINY" $f $w
        run_cases "$csv" "$PASSES" bare env startup se_none se_default se_docker se_policy se_bpf \
                fdexec bwrap firejail runc st_none st_bpf st_policy
}

# ---------------------------------------------------------------------------
# Case 2: payload size. The payload is a static ELF padded with random bytes
# (not holes: a sparse file would be copied as holes by cp).
#   se_load    sealexec run --profile none: load + seal + exec, no digest
#   se_verify  the same with --digest: load + seal + SHA-256 of the memfd
#   se_dryrun  --dry-run: load + seal + describe; describe prints the digest,
#              so it hashes too and is not a load-only measurement
# against cp FILE /dev/shm (tmpfs) and openssl dgst -sha256 FILE.
# ---------------------------------------------------------------------------
case_payload() {
        local csv=$RESULTS/payload.csv size bytes file digest runs warmup
        echo "size,bytes,id,label,median_ms,mean_ms,stddev_ms,min_ms,runs,note,mb_per_s" >"$csv"
        log "case 2: payload sizes $PAYLOAD_SIZES"
        for size in $PAYLOAD_SIZES; do
                bytes=$(size_bytes "$size")
                file=$SHM/payload-$size
                cp "$BIN/payload" "$file"
                head -c $((bytes - $(stat -c %s "$BIN/payload"))) /dev/urandom >>"$file"
                digest=sha256:$(sha256sum "$file" | cut -d' ' -f1)
                case $size in
                512M) runs=6 warmup=1 ;;
                64M) runs=10 warmup=1 ;;
                *) runs=30 warmup=3 ;;
                esac
                if [ "$QUICK" = 1 ]; then runs=$((runs < 10 ? runs : 6)) warmup=1; fi
                add_case "bare_$size" "bare exec" "$file" $runs $warmup
                add_case "cp_$size" "cp FILE /dev/shm/" "cp $file $SHM/cp-target" $runs $warmup \
                        "rm -f $SHM/cp-target"
                add_case "openssl_$size" "openssl dgst -sha256 FILE" "openssl dgst -sha256 $file" \
                        $runs $warmup
                add_case "se_load_$size" "sealexec run --profile none (load+seal+exec)" \
                        "$SE run $ALLOW --profile none -- $file" $runs $warmup
                add_case "se_verify_$size" "sealexec run --profile none --digest" \
                        "$SE run $ALLOW --profile none --digest $digest -- $file" $runs $warmup
                add_case "se_dryrun_$size" "sealexec run --dry-run (load+seal+hash)" \
                        "$SE run $ALLOW --dry-run --profile none -- $file" $runs $warmup
                local tmp=$WORK/payload-$size.csv
                : >"$tmp"
                run_cases "$tmp" 2 "bare_$size" "cp_$size" "openssl_$size" "se_load_$size" \
                        "se_verify_$size" "se_dryrun_$size"
                rm -f "$SHM/cp-target"
                local line id mbs
                while IFS= read -r line; do
                        id=${line%%,*}
                        mbs=""
                        if [ -n "${MED[$id]:-}" ]; then
                                mbs=$(printf '%.1f' "$(echo "$bytes / 1048576 / ${MED[$id]}" | bc -l)")
                        fi
                        echo "$size,$bytes,$line,$mbs" >>"$csv"
                done <"$tmp"
                # The largest file is kept for the memory case's dry run.
                if [ "$size" != "$LARGEST" ]; then rm -f "$file"; fi
        done
}

# ---------------------------------------------------------------------------
# Case 3: policy compile time (net of the command's start-up).
# ---------------------------------------------------------------------------
case_compile() {
        local csv=$RESULTS/compile.csv r=$COMPILE_RUNS
        echo "id,label,median_ms,mean_ms,stddev_ms,min_ms,runs,note" >"$csv"
        log "case 3: policy compile"
        add_case c_startup "sealexec --version (start-up)" "$SE --version" $r 3
        add_case c_default "policy compile --profile default" \
                "$SE policy compile --profile default -o /dev/null" $r 3
        add_case c_docker "policy compile --profile docker" \
                "$SE policy compile --profile docker -o /dev/null" $r 3
        add_case c_docker_json "policy compile docker-default.json" \
                "$SE policy compile $BENCH_DIR/docker-default.json -o /dev/null" $r 3
        add_case c_minijail "policy compile cat.policy (minijail)" \
                "$SE policy compile $BENCH_DIR/cat.policy -o /dev/null" $r 3
        run_cases "$csv" "$PASSES" c_startup c_default c_docker c_docker_json c_minijail
}

# ---------------------------------------------------------------------------
# Case 4: syscall cost inside the payload under each profile.
# ---------------------------------------------------------------------------
declare -A SYS

case_syscalls() {
        local csv=$RESULTS/syscalls.csv cfg i
        echo "config,label,syscall,median_ns,min_ns,min_ratio_vs_bare,result,note" >"$csv"
        log "case 4: syscall cost ($SYSCALL_N calls x $SYSCALL_ROUNDS rounds x $SYSCALL_REPEATS)"
        local -a configs=(bare none default docker policy bpf)
        [ -s "$WORK/docker.bpf" ] ||
                "$SE" policy compile "$BENCH_DIR/docker-default.json" -o "$WORK/docker.bpf" || true
        declare -A cmd=(
                [bare]=""
                [none]="$SE run $ALLOW --profile none --"
                [default]="$SE run $ALLOW --"
                [docker]="$SE run $ALLOW --profile docker --"
                [policy]="$SE run $ALLOW --policy $BENCH_DIR/docker-default.json --"
                [bpf]="$SE run $ALLOW --seccomp-bpf $WORK/docker.bpf --"
        )
        declare -A cfg_label=(
                [bare]="no filter (bare)" [none]="sealexec --profile none"
                [default]="sealexec default profile" [docker]="sealexec --profile docker"
                [policy]="sealexec --policy docker-default.json"
                [bpf]="sealexec --seccomp-bpf docker.bpf"
        )
        local -a ok=()
        for cfg in "${configs[@]}"; do
                : >"$WORK/syscalls-$cfg.txt"
                # shellcheck disable=SC2086
                if probe "sys_$cfg" ${cmd[$cfg]} "$BIN/syscalls" 100 1; then
                        ok+=("$cfg")
                else
                        echo "$cfg,\"${cfg_label[$cfg]}\",all,n/a,,,,\"${NA[sys_$cfg]}\"" >>"$csv"
                fi
        done
        # Configurations take turns, so that a burst of load from other
        # processes falls on all of them rather than on one.
        for ((i = 0; i < SYSCALL_REPEATS; i++)); do
                for cfg in "${ok[@]}"; do
                        # shellcheck disable=SC2086
                        ${cmd[$cfg]} "$BIN/syscalls" "$SYSCALL_N" "$SYSCALL_ROUNDS" \
                                >>"$WORK/syscalls-$cfg.txt"
                done
        done
        local name out
        for cfg in "${ok[@]}"; do
                out=$WORK/syscalls-$cfg.txt
                for name in getppid ioctl personality; do
                        SYS[$cfg.$name]=$(awk -v n=$name '$1 == n { print $2 }' "$out" | sort -g |
                                awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
                        SYS[$cfg.$name.min]=$(awk -v n=$name '$1 == n && (m == "" || $3 < m) { m = $3 } END { print m }' "$out")
                        SYS[$cfg.$name.ret]=$(awk -v n=$name '$1 == n { print $4; exit }' "$out")
                done
        done
        # Ratios use the fastest round: noise only ever adds time.
        for cfg in "${ok[@]}"; do
                for name in getppid ioctl personality; do
                        local r="n/a"
                        if [ -n "${SYS[bare.$name.min]:-}" ]; then
                                r=$(printf '%.3f' "$(echo "${SYS[$cfg.$name.min]} / ${SYS[bare.$name.min]}" | bc -l)")
                        fi
                        SYS[$cfg.$name.ratio]=$r
                        echo "$cfg,\"${cfg_label[$cfg]}\",$name,${SYS[$cfg.$name]},${SYS[$cfg.$name.min]},$r,${SYS[$cfg.$name.ret]}," >>"$csv"
                done
        done
        log "syscalls done"
}

# ---------------------------------------------------------------------------
# Case 5: memory. Peak RSS (GNU time %M: ru_maxrss, which the kernel carries
# across exec, so a launcher's peak is seen even though the payload replaces
# it) and what stays resident while a sleeping payload runs: its
# /proc/PID/status (VmRSS, RssAnon, RssFile, RssShmem), Pss from
# smaps_rollup, and the growth of Shmem in /proc/meminfo, where a memfd is
# counted in full, mapped or not.
# ---------------------------------------------------------------------------
peak_rss() {
        local id=$1 label=$2 i v best=""
        shift 2
        for ((i = 0; i < MEM_REPEATS; i++)); do
                # "%x %M": exit status and peak RSS, on the last line of time's output.
                v=$( (/usr/bin/time -f '%x %M' "$@" 2>&1 >/dev/null || true) | tail -1)
                if ! [[ $v =~ ^0\ [0-9]+$ ]]; then
                        echo "$id,\"$label\",n/a,\"exit status and KiB: $v\"" >>"$MEMCSV"
                        return 0
                fi
                v=${v#0 }
                if [ -z "$best" ] || [ "$v" -gt "$best" ]; then best=$v; fi
        done
        echo "$id,\"$label\",$best," >>"$MEMCSV"
}

meminfo_shmem() { awk '/^Shmem:/ { print $2 }' /proc/meminfo; }

# resident ID LABEL CMD...: starts CMD (a sleeper), reads its memory once it runs.
resident() {
        local id=$1 label=$2
        shift 2
        local i ready=$WORK/ready-$id best_line=""
        local -a deltas=()
        for ((i = 0; i < MEM_REPEATS; i++)); do
                : >"$ready"
                local before after pid n=0
                before=$(meminfo_shmem)
                "$@" >"$ready" 2>"$WORK/resident.err" &
                pid=$!
                SLEEPER_PIDS="${SLEEPER_PIDS:-} $pid"
                while ! grep -q ready "$ready" && kill -0 "$pid" 2>/dev/null && [ $n -lt 200 ]; do
                        sleep 0.05
                        n=$((n + 1))
                done
                if ! grep -q ready "$ready"; then
                        echo "$id,\"$label\",n/a,,,,,,\"$(tail -1 "$WORK/resident.err" | tr ',"' ";'")\"" >>"$RESCSV"
                        kill "$pid" 2>/dev/null || true
                        wait "$pid" 2>/dev/null || true
                        return 0
                fi
                after=$(meminfo_shmem)
                local st
                st=$(awk '/^(VmRSS|RssAnon|RssFile|RssShmem):/ { printf "%s,", $2 }' "/proc/$pid/status")
                local pss
                pss=$(awk '/^Pss:/ { print $2 }' "/proc/$pid/smaps_rollup")
                deltas+=($((after - before)))
                best_line="$st$pss"
                kill "$pid" 2>/dev/null || true
                wait "$pid" 2>/dev/null || true
        done
        local median
        median=$(printf '%s\n' "${deltas[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
        echo "$id,\"$label\",$best_line,$median," >>"$RESCSV"
}

case_memory() {
        echo "id,label,max_rss_kb,note" >"$MEMCSV"
        echo "id,label,vm_rss_kb,rss_anon_kb,rss_file_kb,rss_shmem_kb,pss_kb,shmem_growth_kb,note" >"$RESCSV"
        log "case 5: memory"
        peak_rss m_bare "bare tiny" "$TINY"
        peak_rss m_env "env tiny" /usr/bin/env "$TINY"
        peak_rss m_version "sealexec --version" "$SE" --version
        peak_rss m_none "sealexec run --profile none -- tiny" "$SE" run $ALLOW --profile none -- "$TINY"
        peak_rss m_default "sealexec run -- tiny" "$SE" run $ALLOW -- "$TINY"
        peak_rss m_policy "sealexec run --policy docker-default.json -- tiny" \
                "$SE" run $ALLOW --policy "$BENCH_DIR/docker-default.json" -- "$TINY"
        local file=$SHM/payload-$LARGEST
        if [ -f "$file" ]; then
                peak_rss m_dryrun "sealexec run --dry-run ($LARGEST payload)" \
                        "$SE" run $ALLOW --dry-run --profile none -- "$file"
                peak_rss m_load "sealexec run --profile none ($LARGEST payload)" \
                        "$SE" run $ALLOW --profile none -- "$file"
                rm -f "$file"
        fi

        # On /tmp (a disk file system here), so that the bare run's pages are
        # page cache and only a memfd shows up as Shmem.
        local sleeper64=$WORK/sleeper-64M
        cp "$BIN/sleeper" "$sleeper64"
        head -c $((64 * 1048576 - $(stat -c %s "$BIN/sleeper"))) /dev/urandom >>"$sleeper64"
        resident r_bare "bare sleeper ($(stat -c %s "$BIN/sleeper") B)" "$BIN/sleeper" 30
        resident r_se "sealexec run --profile none -- sleeper" "$SE" run $ALLOW --profile none -- "$BIN/sleeper" 30
        resident r_bare64 "bare sleeper padded to 64 MB" "$sleeper64" 30
        resident r_se64 "sealexec run --profile none -- sleeper padded to 64 MB" \
                "$SE" run $ALLOW --profile none -- "$sleeper64" 30
        rm -f "$sleeper64"
}

# ---------------------------------------------------------------------------
# Where sealexec's launch time goes: shared libraries, relocation, syscalls.
# ---------------------------------------------------------------------------
launch_analysis() {
        local out=$RESULTS/launch-analysis.txt
        log "launch analysis"
        # Diagnostics only: `| head` may cut a producer short, and a missing
        # tool leaves a note in the file rather than stopping the benchmark.
        set +e +o pipefail
        {
                echo "# Where the launch time of 'sealexec run --policy docker-default.json -- tiny' goes"
                echo
                echo "## Shared libraries loaded at start-up (ldd)"
                ldd "$SE" | sed 's/ (0x[0-9a-f]*)//'
                echo
                echo "## Dynamic loader statistics (LD_DEBUG=statistics, sealexec --version)"
                LD_DEBUG=statistics "$SE" --version 2>&1 >/dev/null | sed 's/^ *[0-9]*: *//' |
                        grep -v '^$' | head -12
                echo
                echo "## System calls (strace -c -f)"
                strace -f -c -o "$WORK/strace-c.txt" "$SE" run $ALLOW --policy "$BENCH_DIR/docker-default.json" \
                        -- "$TINY" >/dev/null 2>&1 || true
                head -30 "$WORK/strace-c.txt"
                echo
                echo "## Time line (strace -r): the largest gaps between two syscalls (user-space work)"
                strace -r -o "$WORK/strace-r.txt" "$SE" run $ALLOW --policy "$BENCH_DIR/docker-default.json" \
                        -- "$TINY" >/dev/null 2>&1 || true
                echo "syscalls before the execveat of the payload: $(grep -n 'execveat' "$WORK/strace-r.txt" |
                        head -1 | cut -d: -f1); openat: $(grep -c 'openat(' "$WORK/strace-r.txt");" \
                        "mmap/mprotect: $(grep -cE '(mmap|mprotect)\(' "$WORK/strace-r.txt")"
                awk '{ gap = $1; $1 = ""; printf "%s  after: %.60s  before: %.60s\n", gap, prev, $0; prev = $0 }' \
                        "$WORK/strace-r.txt" | sort -g -r | head -6
                echo
                echo "## CPU profile by shared object (perf record -e cpu-clock, 50 launches each)"
                local what
                [ -s "$WORK/docker.bpf" ] ||
                        "$SE" policy compile "$BENCH_DIR/docker-default.json" -o "$WORK/docker.bpf" || true
                for what in "--policy $BENCH_DIR/docker-default.json" "--seccomp-bpf $WORK/docker.bpf" \
                        "--profile none"; do
                        echo "### sealexec run ${what/$BENCH_DIR\//} -- tiny"
                        # shellcheck disable=SC2086
                        if perf record -q -e cpu-clock -F 5000 -o "$WORK/perf.data" -- \
                                sh -c 'for i in $(seq 50); do "$@" >/dev/null 2>&1; done' sh \
                                "$SE" run $ALLOW $what -- "$TINY" >/dev/null 2>&1; then
                                # Share of sealexec's own samples (before the exec) per object.
                                perf report -i "$WORK/perf.data" --sort comm,dso --stdio 2>/dev/null |
                                        awk '$2 == "sealexec" { sub("%", "", $1); v[$3] = $1; t += $1 }
                                             END { for (k in v) printf "  %5.1f%%  %s\n", 100 * v[k] / t, k }' |
                                        sort -g -r | head -8
                        else
                                echo "perf record not available"
                        fi
                done
                echo
                echo "## perf stat (task-clock, page faults; 50 launches)"
                perf stat -r 50 -e task-clock,page-faults,context-switches \
                        "$SE" run $ALLOW --policy "$BENCH_DIR/docker-default.json" -- "$TINY" 2>&1 >/dev/null |
                        grep -E 'task-clock|page-faults|context|elapsed' || echo "perf stat not available"
                perf stat -r 50 -e task-clock,page-faults "$SE" --version 2>&1 >/dev/null |
                        grep -E 'task-clock|page-faults|elapsed' | sed 's/^/  --version: /' || true
        } >"$out" 2>&1
        set -e -o pipefail
}

# ---------------------------------------------------------------------------
# Report: table, phases, targets, summary.json, plot.
# ---------------------------------------------------------------------------
# target ID TEXT RATIO OP LIMIT
target() {
        local id=$1 text=$2 r=$3 op=$4 limit=$5 state
        if [ "$r" = n/a ] || [ -z "$r" ]; then
                state="n/a"
        elif [ "$(echo "$r $op $limit" | bc -l)" = 1 ]; then
                state="met"
        else
                state="missed"
        fi
        printf '  %-7s %-72s ratio %-7s (target %s %s)\n' "$state" "$text" "$r" "$op" "$limit"
        echo "$id,\"$text\",$r,\"$op $limit\",$state" >>"$RESULTS/targets.csv"
}

report() {
        local largest=$LARGEST
        echo
        echo "== sealexec benchmark ($([ "$QUICK" = 1 ] && echo quick || echo full)) on $(nproc) CPUs, $CPU_MODEL, Linux $(uname -r), $(date -u '+%Y-%m-%d %H:%M UTC') =="
        echo "sealexec: $SE ($BUILD_NOTE)"
        echo "load average (1, 5, 15 min) before: $LOAD_BEFORE, after: $LOAD_AFTER"
        echo
        echo "Case 1: launch of tiny (median ms; ratios against bare exec and env in this run)"
        printf '  %-66s %10s %9s %9s %9s\n' case median_ms x_bare x_env min_ms
        local id
        for id in bare env startup se_none se_default se_docker se_policy se_bpf fdexec bwrap firejail runc \
                st_none st_bpf st_policy; do
                if [ -n "${MED[$id]:-}" ]; then
                        printf '  %-66s %10s %9s %9s %9s\n' "${LABEL[$id]:-$id}" "$(ms $id)" \
                                "$(ratio $id bare)" "$(ratio $id env)" \
                                "$(printf '%.3f' "$(echo "${MIN[$id]} * 1000" | bc -l)")"
                else
                        printf '  %-66s %10s  %s\n' "${LABEL[$id]:-$id}" "n/a" "${NA[$id]:-}"
                fi
        done
        echo
        echo "  phases (differences of medians, ms): start-up over bare exec $(diff_ms startup bare);" \
                "load+seal+exec $(diff_ms se_none startup);"
        echo "    Docker JSON parse+compile+install $(diff_ms se_policy se_none);" \
                "precompiled BPF install $(diff_ms se_bpf se_none); default profile $(diff_ms se_default se_none);"
        echo "    dynamic linking (run --profile none, shipped minus static what-if) $(diff_ms se_none st_none)"
        echo
        echo "Case 2: payload size (median ms and MB/s; ratio = baseline time / sealexec time)"
        printf '  %-6s %-12s %-12s %-14s %-14s %-12s %-9s %-9s\n' size cp openssl se_load se_verify \
                se_dryrun cp/load ossl/verify
        local size
        for size in $PAYLOAD_SIZES; do
                printf '  %-6s %-12s %-12s %-14s %-14s %-12s %-9s %-9s\n' "$size" \
                        "$(msmb cp_$size $size)" "$(msmb openssl_$size $size)" \
                        "$(msmb se_load_$size $size)" "$(msmb se_verify_$size $size)" \
                        "$(msmb se_dryrun_$size $size)" \
                        "$(ratio cp_$size se_load_$size)" "$(ratio openssl_$size se_verify_$size)"
        done
        echo "  (each cell: median ms/MB/s of the whole command; bare exec of the padded payload: $(ms bare_$largest) ms at $largest)"
        echo
        echo "Case 3: policy compile (ms, whole command; net = minus 'sealexec --version', of medians and of fastest runs)"
        printf '  %-44s %9s %9s %9s %9s\n' case median min net_med net_min
        for id in c_startup c_default c_docker c_docker_json c_minijail; do
                if [ -n "${MED[$id]:-}" ]; then
                        printf '  %-44s %9s %9s %9s %9s\n' "${LABEL[$id]}" "$(ms $id)" \
                                "$(printf '%.3f' "$(echo "${MIN[$id]} * 1000" | bc -l)")" \
                                "$(diff_ms $id c_startup)" \
                                "$(printf '%.3f' "$(echo "(${MIN[$id]} - ${MIN[c_startup]:-0}) * 1000" | bc -l)")"
                else
                        printf '  %-44s n/a  %s\n' "${LABEL[$id]:-$id}" "${NA[$id]:-}"
                fi
        done
        echo
        echo "Case 4: syscall cost inside the payload (ns/call: median/fastest round; ratio of fastest rounds against no filter; result of one call)"
        printf '  %-10s %-28s %-28s %-28s\n' config getppid "ioctl(FIONREAD)" "personality(~0)"
        local cfg
        for cfg in bare none default docker policy bpf; do
                if [ -n "${SYS[$cfg.getppid]:-}" ]; then
                        printf '  %-10s %-28s %-28s %-28s\n' "$cfg" \
                                "$(sysfmt $cfg getppid)" "$(sysfmt $cfg ioctl)" "$(sysfmt $cfg personality)"
                else
                        printf '  %-10s n/a  %s\n' "$cfg" "${NA[sys_$cfg]:-}"
                fi
        done
        echo
        echo "Case 5: memory (KiB)"
        if [ -f "$MEMCSV" ]; then
                column -s, -t <"$MEMCSV" | sed 's/^/  /'
                echo
                column -s, -t <"$RESCSV" | sed 's/^/  /'
        fi
        echo
        echo "Targets (reported, not asserted):"
        echo "id,text,ratio,target,state" >"$RESULTS/targets.csv"
        target t_none "sealexec run --profile none vs env tiny (time ratio)" \
                "$(ratio se_none env)" '<=' 1.10
        target t_default "sealexec run (default profile) vs env tiny (time ratio)" \
                "$(ratio se_default env)" '<=' 1.20
        target t_docker "sealexec run --profile docker vs env tiny (time ratio)" \
                "$(ratio se_docker env)" '<=' 1.30
        target t_env "sealexec run --policy docker-default.json vs env tiny (time ratio)" \
                "$(ratio se_policy env)" '<=' 1.40
        local bwrap_net=n/a
        if [ -n "${MED[bwrap]:-}" ] && [ -n "${MED[fdexec]:-}" ] && [ -n "${MED[se_docker]:-}" ]; then
                bwrap_net=$(printf '%.3f' "$(echo "(${MED[bwrap]} - (${MED[fdexec]} - ${MED[bare]})) / ${MED[se_docker]}" | bc -l)")
        fi
        target t_bwrap "bwrap with the same BPF (minus fdexec helper) / sealexec run --profile docker (speed-up)" \
                "$bwrap_net" '>=' 2.0
        target t_runc "runc run / sealexec --policy docker-default.json (speed-up)" \
                "$(ratio runc se_policy)" '>=' 15
        target t_compile "sealexec policy compile docker-default.json over sealexec --version (ms of medians)" \
                "$(diff_ms c_docker_json c_startup)" '<=' 1.0
        target t_verify "load+verify throughput vs openssl dgst -sha256 at $largest" \
                "$(ratio openssl_$largest se_verify_$largest)" '>=' 0.9
        target t_load "load (no digest) throughput vs cp to tmpfs at $largest" \
                "$(ratio cp_$largest se_load_$largest)" '>=' 0.9
        target t_getppid "getppid under the default profile vs no filter (fastest rounds)" \
                "${SYS[default.getppid.ratio]:-n/a}" '<=' 1.05
        target t_getppid_docker "getppid under the docker profile vs no filter (fastest rounds)" \
                "${SYS[docker.getppid.ratio]:-n/a}" '<=' 1.05
        target t_personality "personality (argument checks) under docker vs no filter (fastest rounds)" \
                "${SYS[docker.personality.ratio]:-n/a}" '<=' 1.10
        echo
        echo "Results: $RESULTS/{launch,payload,compile,syscalls,memory-peak,memory-resident,targets}.csv," \
                "summary.json, bench.png, launch-analysis.txt"
}

diff_ms() {
        if [ -n "${MED[$1]:-}" ] && [ -n "${MED[$2]:-}" ]; then
                printf '%.3f' "$(echo "(${MED[$1]} - ${MED[$2]}) * 1000" | bc -l)"
        else
                echo n/a
        fi
}

msmb() {
        if [ -n "${MED[$1]:-}" ]; then
                printf '%s/%s' "$(printf '%.1f' "$(echo "${MED[$1]} * 1000" | bc -l)")" \
                        "$(printf '%.0f' "$(echo "$(size_bytes "$2") / 1048576 / ${MED[$1]}" | bc -l)")"
        else
                echo n/a
        fi
}

sysfmt() {
        printf '%s/%s x%s %s' "${SYS[$1.$2]}" "${SYS[$1.$2.min]}" "${SYS[$1.$2.ratio]:-n/a}" "${SYS[$1.$2.ret]}"
}

write_summary() {
        local csvs=(launch payload compile syscalls memory-peak memory-resident targets)
        {
                echo "{"
                printf '  "date": "%s",\n' "$(date -u '+%Y-%m-%dT%H:%M:%SZ')"
                printf '  "mode": "%s",\n' "$([ "$QUICK" = 1 ] && echo quick || echo full)"
                printf '  "machine": {"nproc": %s, "cpu": "%s", "kernel": "%s", "memory_kb": %s},\n' \
                        "$(nproc)" "$CPU_MODEL" "$(uname -r)" "$(awk '/MemTotal/ { print $2 }' /proc/meminfo)"
                printf '  "sealexec": "%s",\n' "$BUILD_NOTE"
                printf '  "loadavg_before": "%s", "loadavg_after": "%s",\n' "$LOAD_BEFORE" "$LOAD_AFTER"
                printf '  "tools": {"hyperfine": "%s", "bwrap": "%s", "firejail": "%s", "runc": "%s", "openssl": "%s"},\n' \
                        "$(hyperfine --version 2>/dev/null | head -1)" "$(bwrap --version 2>/dev/null | head -1)" \
                        "$(firejail --version 2>/dev/null | head -1)" "$(runc --version 2>/dev/null | head -1)" \
                        "$(openssl version 2>/dev/null | head -1)"
                local first=1 c
                for c in "${csvs[@]}"; do
                        [ -f "$RESULTS/$c.csv" ] || continue
                        [ $first = 1 ] || echo ","
                        first=0
                        printf '  "%s": ' "$c"
                        # CSV to an array of objects (fields never contain commas, quotes are stripped).
                        jq -R -s 'split("\n") | map(select(length > 0) | gsub("\""; "") | split(","))
                                  | .[0] as $h | .[1:] | map([$h, .] | transpose
                                  | map({(.[0]): (.[1] // "" | (tonumber? // .))}) | add)' "$RESULTS/$c.csv" |
                                sed '2,$s/^/  /' | tr -d '\n' | sed 's/  */ /g'
                done
                echo
                echo "}"
        } >"$RESULTS/summary.json.tmp"
        jq . "$RESULTS/summary.json.tmp" >"$RESULTS/summary.json" && rm -f "$RESULTS/summary.json.tmp"
}

plot() {
        command -v gnuplot >/dev/null || { log "gnuplot missing: no plot"; return 0; }
        local d=$WORK/plot f
        for f in launch payload syscalls compile; do
                [ -f "$RESULTS/$f.csv" ] || { log "no $f.csv: no plot"; return 0; }
        done
        mkdir -p "$d"
        # launch: label, median ms
        awk -F, 'NR > 1 && $3 != "n/a" { gsub(/"/, "", $2); printf "\"%s\" %s\n", $1, $3 }' \
                "$RESULTS/launch.csv" >"$d/launch.dat"
        # payload throughput: size cp openssl se_load se_verify (MB/s)
        local size
        : >"$d/payload.dat"
        for size in $PAYLOAD_SIZES; do
                printf '%s' "$size" >>"$d/payload.dat"
                for k in cp openssl se_load se_verify; do
                        local v
                        v=$(awk -F, -v id="${k}_$size" '$3 == id { print $NF }' "$RESULTS/payload.csv")
                        printf ' %s' "${v:-0}" >>"$d/payload.dat"
                done
                echo >>"$d/payload.dat"
        done
        # syscalls: config getppid ioctl personality (ns)
        awk -F, 'NR > 1 && $4 != "n/a" { v[$1 "," $3] = $5; if (!($1 in seen)) { seen[$1] = 1; o[++n] = $1 } }
                 END { for (i = 1; i <= n; i++) printf "%s %s %s %s\n", o[i], v[o[i] ",getppid"],
                       v[o[i] ",ioctl"], v[o[i] ",personality"] }' "$RESULTS/syscalls.csv" >"$d/sys.dat"
        awk -F, 'NR > 1 && $3 != "n/a" { printf "%s %s\n", $1, $3 }' "$RESULTS/compile.csv" >"$d/compile.dat"
        gnuplot <<EOF
set terminal pngcairo size 1400,1000 font "sans,9" noenhanced
set output "$RESULTS/bench.png"
set multiplot layout 2,2 title "sealexec benchmark — $(nproc) CPUs, $CPU_MODEL, Linux $(uname -r), $(date -u +%Y-%m-%d)"
set style data histograms
set style fill solid 0.8 border -1
set grid ytics
set xtics rotate by -35 left
set key top left
set key noenhanced

set title "1. Launch of a tiny static program (median ms, log scale)"
set logscale y
set ylabel "ms"
plot "$d/launch.dat" using 2:xtic(1) notitle lc rgb "#4477aa"

set title "2. Payload load throughput (MB/s, whole command)"
set style histogram clustered gap 1
set ylabel "MB/s"
plot "$d/payload.dat" using 2:xtic(1) title "cp to tmpfs", '' using 3 title "openssl dgst -sha256", \
     '' using 4 title "sealexec run (no digest)", '' using 5 title "sealexec run --digest"

unset logscale y
set yrange [0:*]
set title "3. Policy compile (median ms, whole command incl. start-up)"
set ylabel "ms"
plot "$d/compile.dat" using 2:xtic(1) notitle lc rgb "#228833"

set title "4. Syscall cost inside the payload (ns/call, fastest round)"
set style histogram clustered gap 1
set ylabel "ns/call"
plot "$d/sys.dat" using 2:xtic(1) title "getppid", '' using 3 title "ioctl(FIONREAD)", \
     '' using 4 title "personality(~0)"
unset multiplot
EOF
}

# ---------------------------------------------------------------------------
main() {
        WORK=$(mktemp -d /tmp/sealexec-bench.XXXXXX)
        SHM=$(mktemp -d /dev/shm/sealexec-bench.XXXXXX)
        BIN=$WORK/bin
        mkdir -p "$WORK/json" "$WORK/times" "$RESULTS"
        trap cleanup EXIT
        install_missing
        build_sealexec
        build_programs
        CPU_MODEL=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
        LARGEST=${PAYLOAD_SIZES##* }
        MEMCSV=$RESULTS/memory-peak.csv RESCSV=$RESULTS/memory-resident.csv
        rm -f "$RESULTS"/*.csv "$RESULTS/summary.json" "$RESULTS/bench.png"
        log "sealexec: $SE ($BUILD_NOTE); work: $WORK; payloads: $SHM"

        LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
        local c
        for c in ${CASES:-launch payload compile syscalls memory analysis}; do
                case $c in
                launch | payload | compile | syscalls | memory) "case_$c" ;;
                analysis) launch_analysis ;;
                *) echo "run.sh: unknown case '$c' in CASES" >&2; exit 2 ;;
                esac
        done
        LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
        report | tee "$RESULTS/report.txt"
        write_summary
        plot
        log "done in $(($(date +%s) - START_EPOCH)) s"
}

main
