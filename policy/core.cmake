# SPDX-License-Identifier: LGPL-2.1-or-later
# The policy core: the intermediate form, syscall names, compiling, built-in
# profiles and the public policy API.
target_sources(sealexec_objs PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/policy.c
  ${CMAKE_CURRENT_LIST_DIR}/syscalls.c
  ${CMAKE_CURRENT_LIST_DIR}/argwidth.c
  ${CMAKE_CURRENT_LIST_DIR}/cond.c
  ${CMAKE_CURRENT_LIST_DIR}/compile.c
  ${CMAKE_CURRENT_LIST_DIR}/compiled.c
  ${CMAKE_CURRENT_LIST_DIR}/eval.c
  ${CMAKE_CURRENT_LIST_DIR}/bpf-gen.c
  ${CMAKE_CURRENT_LIST_DIR}/explain-json.c
  ${CMAKE_CURRENT_LIST_DIR}/profiles.c
  ${CMAKE_CURRENT_LIST_DIR}/profiles/default.c
  ${CMAKE_CURRENT_LIST_DIR}/profiles/docker.c
  ${CMAKE_CURRENT_LIST_DIR}/profiles/deny-unix.c)

# Docker's profile is embedded as a C array generated at build time, with
# CMake only (no xxd or other tools).
set(_docker_json ${CMAKE_CURRENT_LIST_DIR}/profiles/docker-default.json)
set(_docker_c ${CMAKE_CURRENT_BINARY_DIR}/docker-default-json.c)
add_custom_command(
  OUTPUT ${_docker_c}
  COMMAND ${CMAKE_COMMAND} -DINPUT=${_docker_json} -DOUTPUT=${_docker_c}
          -DSYMBOL=sealexec_docker_profile -P ${CMAKE_CURRENT_LIST_DIR}/profiles/embed.cmake
  DEPENDS ${_docker_json} ${CMAKE_CURRENT_LIST_DIR}/profiles/embed.cmake
  COMMENT "Embedding Docker's default seccomp profile"
  VERBATIM)
target_sources(sealexec_objs PRIVATE ${_docker_c})
# The rule lives in this directory while sealexec_objs belongs to the top one:
# a custom target here makes sure the file is generated first.
add_custom_target(sealexec_docker_profile DEPENDS ${_docker_c})
add_dependencies(sealexec_objs sealexec_docker_profile)
target_sources(sealexec_objs PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/load.c
  ${CMAKE_CURRENT_LIST_DIR}/api.c
  ${CMAKE_CURRENT_LIST_DIR}/describe.c)
