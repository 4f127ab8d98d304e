# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Installation: what a distribution package or `cmake --install` puts where.
#
#   lib/libsealexec.so.0.1.0, .so.0, .so   the shared library (SONAME libsealexec.so.0)
#   lib/libsealexec.a                      the static library
#   include/sealexec.h                     the one public header
#   bin/sealexec                           the command (cli/CMakeLists.txt installs it)
#   lib/pkgconfig/sealexec.pc              pkg-config
#   lib/cmake/sealexec/                    find_package(sealexec) -> sealexec::sealexec
#   share/man/man{1,3,5}/                  man pages (when scdoc is available)
#   share/bash-completion/completions/     bash completion
#   share/sealexec/policies/               example seccomp policies
#   lib/systemd/system/sealexec-hold.*     the holder's socket and service units
#
# The CMake package exports only the shared library: the static archive is
# made from the OBJECT library sealexec_objs, which would have to be exported
# too and which carries build-tree include paths. The package file instead
# defines sealexec::sealexec_static by hand, with the dependencies found
# through pkg-config, as `pkg-config --static --libs sealexec` gives them.
include(CMakePackageConfigHelpers)

set(SEALEXEC_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/sealexec)

install(TARGETS sealexec EXPORT sealexecTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime NAMELINK_COMPONENT dev)
install(TARGETS sealexec_static ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev)
install(FILES ${PROJECT_SOURCE_DIR}/include/sealexec.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT dev)

# CMake package: targets file, config and version (same major = compatible,
# as the SONAME promises).
install(EXPORT sealexecTargets NAMESPACE sealexec:: FILE sealexecTargets.cmake
  DESTINATION ${SEALEXEC_CMAKE_DIR} COMPONENT dev)
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/sealexecConfig.cmake.in
  ${PROJECT_BINARY_DIR}/sealexecConfig.cmake INSTALL_DESTINATION ${SEALEXEC_CMAKE_DIR}
  PATH_VARS CMAKE_INSTALL_LIBDIR CMAKE_INSTALL_INCLUDEDIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/sealexecConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/sealexecConfig.cmake
  ${PROJECT_BINARY_DIR}/sealexecConfigVersion.cmake
  DESTINATION ${SEALEXEC_CMAKE_DIR} COMPONENT dev)

# pkg-config. Written at install time so that `cmake --install --prefix P`
# yields a file that names P, not the prefix chosen at configure time.
set(_pc_script ${PROJECT_BINARY_DIR}/sealexec-pc-install.cmake)
file(WRITE ${_pc_script} "
set(PC_LIBDIR \"${CMAKE_INSTALL_LIBDIR}\")
set(PC_INCLUDEDIR \"${CMAKE_INSTALL_INCLUDEDIR}\")
set(PC_VERSION \"${PROJECT_VERSION}\")
foreach(_d LIBDIR INCLUDEDIR)
  if(NOT IS_ABSOLUTE \"\${PC_\${_d}}\")
    set(PC_\${_d} \"\\\${prefix}/\${PC_\${_d}}\")
  endif()
endforeach()
set(PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
configure_file(\"${CMAKE_CURRENT_LIST_DIR}/sealexec.pc.in\" \"${PROJECT_BINARY_DIR}/sealexec.pc\" @ONLY)
")
install(SCRIPT ${_pc_script} COMPONENT dev)
install(FILES ${PROJECT_BINARY_DIR}/sealexec.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT dev)

# The holder's systemd units (data/). ExecStart names the command without a
# directory (systemd searches /usr/local/bin and /usr/bin), so the units do
# not depend on the prefix.
set(SEALEXEC_SYSTEMD_UNITDIR lib/systemd/system
    CACHE STRING "Where the holder's systemd units are installed (relative: under the prefix)")
install(FILES ${PROJECT_SOURCE_DIR}/data/sealexec-hold.socket
  ${PROJECT_SOURCE_DIR}/data/sealexec-hold.service
  DESTINATION ${SEALEXEC_SYSTEMD_UNITDIR} COMPONENT tool)

# Man pages, bash completion, example policies.
include(${CMAKE_CURRENT_LIST_DIR}/man.cmake)
install(FILES ${PROJECT_SOURCE_DIR}/completion/sealexec
  DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions COMPONENT tool)
file(GLOB _policies ${PROJECT_SOURCE_DIR}/examples/policies/*.policy
     ${PROJECT_SOURCE_DIR}/examples/policies/*.json ${PROJECT_SOURCE_DIR}/examples/policies/README.md)
install(FILES ${_policies}
  DESTINATION ${CMAKE_INSTALL_DATADIR}/sealexec/policies COMPONENT tool)
