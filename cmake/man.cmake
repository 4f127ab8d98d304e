# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Man pages: docs/NAME.SECTION.scd -> roff with scdoc(1) at build time. Without
# scdoc the pages are neither built nor installed, and tests/install's lint
# test reports itself skipped.
find_program(SCDOC_EXECUTABLE scdoc)
file(GLOB _scd_sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/docs/*.scd)

if(NOT SCDOC_EXECUTABLE)
  message(STATUS "scdoc not found: man pages will not be built or installed")
  return()
endif()

set(_man_pages)
foreach(_src IN LISTS _scd_sources)
  get_filename_component(_page ${_src} NAME_WLE) # sealexec.1
  string(REGEX MATCH "[0-9]$" _section ${_page})
  set(_out ${PROJECT_BINARY_DIR}/docs/${_page})
  add_custom_command(OUTPUT ${_out}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/docs
    COMMAND sh -c "\"$0\" < \"$1\" > \"$2\"" ${SCDOC_EXECUTABLE} ${_src} ${_out}
    DEPENDS ${_src}
    COMMENT "Generating man page ${_page}"
    VERBATIM)
  list(APPEND _man_pages ${_out})
  if(_page MATCHES "^libsealexec")
    set(_component dev)
  else()
    set(_component tool)
  endif()
  install(FILES ${_out} DESTINATION ${CMAKE_INSTALL_MANDIR}/man${_section} COMPONENT ${_component})
endforeach()
add_custom_target(man ALL DEPENDS ${_man_pages})
