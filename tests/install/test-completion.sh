#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The bash completion loads and completes subcommands, options, option
# values and the payload.
#   test-completion.sh COMPLETION_FILE
set -u
. "$1" || { echo "FAIL: cannot source $1"; exit 1; }
complete -p sealexec >/dev/null || { echo "FAIL: no completion registered for sealexec"; exit 1; }
status=0
# expect "EXPECTED WORD" WORDS...: completing the last word offers EXPECTED.
expect() {
        local want=$1
        shift
        COMP_WORDS=("$@") COMP_CWORD=$(($# - 1)) COMPREPLY=()
        _sealexec
        if [[ " ${COMPREPLY[*]} " != *" $want "* ]]; then
                echo "FAIL: [$*] offers '${COMPREPLY[*]}', not '$want'"
                status=1
        fi
}
expect run sealexec r
expect check sealexec policy c
expect --cap-keep sealexec run --cap
expect --allow-root sealexec run --allow
expect --keep-signals sealexec run --keep-s
expect --deny-unix sealexec run --deny
expect default sealexec run --profile de
expect nofile= sealexec run --rlimit nof
expect CAP_NET_BIND_SERVICE sealexec run --cap-keep CAP_NET_B
expect sh sealexec run --profile none s
expect /etc/passwd sealexec run --file conf = /etc/passw
# After the payload, its own arguments are files, not sealexec options.
COMP_WORDS=(sealexec run -- /bin/echo --p) COMP_CWORD=4 COMPREPLY=()
_sealexec
[[ " ${COMPREPLY[*]} " == *" --policy "* ]] && { echo "FAIL: sealexec options offered to the payload"; status=1; }
[ $status -eq 0 ] && echo PASS
exit $status
