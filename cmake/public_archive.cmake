# public_archive.cmake — make a static archive's only global names the
# public rubric_* functions (and what it needs from other libraries).
#
#   cmake -DLINKER=ld -DOBJCOPY=objcopy -DAR=ar -DARCHIVE=librubric.a
#         -P public_archive.cmake
#
# The archive's objects are linked into one relocatable object (ld -r), so
# that the references between them are resolved inside it; every symbol the
# sources left hidden (the whole internal API: -fvisibility=hidden) is then
# made local, and the archive is replaced by one holding that object.  A
# host with its own mem_alloc or parse_file links cleanly.
cmake_policy(VERSION 3.20)
foreach(var LINKER OBJCOPY AR ARCHIVE)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "public_archive.cmake: ${var} is not set")
  endif()
endforeach()

function(run)
  execute_process(COMMAND ${ARGN} WORKING_DIRECTORY "${work}" RESULT_VARIABLE rc
                  OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "public_archive.cmake: '${ARGN}' failed: ${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()

get_filename_component(name "${ARCHIVE}" NAME_WE)
set(work "${ARCHIVE}.${name}.d")
file(REMOVE_RECURSE "${work}")
file(MAKE_DIRECTORY "${work}")

# Members are extracted by name: two with one name would overwrite.
run("${AR}" t "${ARCHIVE}")
string(REPLACE "\n" ";" members "${out}")
list(REMOVE_ITEM members "")
set(unique ${members})
list(REMOVE_DUPLICATES unique)
list(LENGTH members n)
list(LENGTH unique n_unique)
if(NOT n EQUAL n_unique)
  message(FATAL_ERROR "public_archive.cmake: ${ARCHIVE} has members with the same name")
endif()

run("${AR}" x "${ARCHIVE}")
run("${LINKER}" -r -o "${name}.o" ${members})
run("${OBJCOPY}" --localize-hidden "${name}.o")
file(REMOVE "${ARCHIVE}")
run("${AR}" rcs "${ARCHIVE}" "${name}.o")
file(REMOVE_RECURSE "${work}")
