# public_archive.cmake — one static archive whose only global names are the
# public rubric_* functions (and what it needs from other libraries).
#
#   cmake -DLINKER=ld -DOBJCOPY=objcopy -DAR=ar -DOUT=librubric.a
#         -DOBJECTS="a.o|b.o|..." -P public_archive.cmake
#
# The objects are linked into one relocatable object (ld -r), so that the
# references between them are resolved inside it; every symbol the sources
# left hidden (the whole internal API: -fvisibility=hidden) is then made
# local.  A host with its own mem_alloc or parse_file links cleanly.
foreach(var LINKER OBJCOPY AR OUT OBJECTS)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "public_archive.cmake: ${var} is not set")
  endif()
endforeach()

string(REPLACE "|" ";" OBJECTS "${OBJECTS}")
get_filename_component(name "${OUT}" NAME_WE)
set(combined "${OUT}.${name}.o")
execute_process(COMMAND "${LINKER}" -r -o "${combined}" ${OBJECTS}
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "ld -r failed for ${OUT}")
endif()
execute_process(COMMAND "${OBJCOPY}" --localize-hidden "${combined}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "objcopy --localize-hidden failed for ${OUT}")
endif()
file(REMOVE "${OUT}")
execute_process(COMMAND "${AR}" rcs "${OUT}" "${combined}" RESULT_VARIABLE rc)
file(REMOVE "${combined}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "ar failed for ${OUT}")
endif()
