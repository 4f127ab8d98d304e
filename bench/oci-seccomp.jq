# SPDX-License-Identifier: LGPL-2.1-or-later
# Docker's seccomp profile (docker-default.json) -> an OCI linux.seccomp object
# for runc, resolved the way Docker resolves it for a container on amd64 that
# holds runc spec's default capabilities (none of those in includes.caps):
# entries for other architectures or needing capabilities are dropped, the
# rest keep names, action, args and errnoRet.
def on_amd64: (.includes.arches // null) as $a | ($a == null or ($a | index("amd64")) != null);
def not_excluded: ((.excludes.arches // []) | index("amd64")) == null;
def no_caps_needed: ((.includes.caps // []) | length) == 0;
{
  defaultAction: .defaultAction,
  defaultErrnoRet: .defaultErrnoRet,
  architectures: ([.archMap[] | select(.architecture == "SCMP_ARCH_X86_64")
                   | [.architecture] + .subArchitectures] | add),
  syscalls: [.syscalls[] | select(on_amd64 and not_excluded and no_caps_needed)
             | {names, action} + (if .args then {args} else {} end)
               + (if .errnoRet then {errnoRet} else {} end)]
}
