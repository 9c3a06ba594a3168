# The layering check (issue 13): every `#include "wharf/<folder>/…"` in src/wharf must name the
# including folder itself or a folder it may use according to src/wharf/layers.cmake (its
# DEPENDS and, through them, theirs), and ARCHITECTURE.md's layer table must say the same as
# layers.cmake. Fails naming the file and line of each offending include.
#
#   cmake -DROOT=<project root> -P tools/check_layers.cmake
#
# The test command runs it (ctest test `layering`); tests/unit/tools checks that it catches an
# upward include.
cmake_minimum_required(VERSION 3.25)
if(NOT ROOT)
  get_filename_component(ROOT "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
endif()
set(layer_dir "${ROOT}/src/wharf")

set(layers "")
function(wharf_layer folder)
  cmake_parse_arguments(PARSE_ARGV 1 layer "" "" "DEPENDS")
  set(allowed "")
  foreach(dependency IN LISTS layer_DEPENDS)
    if(NOT dependency IN_LIST layers)
      message(FATAL_ERROR "layers.cmake: ${folder} depends on ${dependency}, which is not "
        "declared above it")
    endif()
    list(APPEND allowed ${dependency} ${allowed_${dependency}})
  endforeach()
  list(REMOVE_DUPLICATES allowed)
  set(allowed_${folder} ${allowed} PARENT_SCOPE)
  set(direct_${folder} ${layer_DEPENDS} PARENT_SCOPE)
  set(layers ${layers} ${folder} PARENT_SCOPE)
endfunction()
include("${layer_dir}/layers.cmake")

set(problems 0)
file(GLOB_RECURSE files RELATIVE "${layer_dir}" "${layer_dir}/*.hpp" "${layer_dir}/*.cpp")
list(SORT files)
foreach(file IN LISTS files)
  get_filename_component(folder "${file}" DIRECTORY)
  if(NOT folder IN_LIST layers)
    message("src/wharf/${file}: its folder ${folder}/ is not declared in src/wharf/layers.cmake")
    math(EXPR problems "${problems} + 1")
    continue()
  endif()
  file(STRINGS "${layer_dir}/${file}" lines ENCODING UTF-8)
  set(number 0)
  foreach(line IN LISTS lines)
    math(EXPR number "${number} + 1")
    if(line MATCHES "^[ \t]*#[ \t]*include[ \t]*[\"<]wharf/(.+)/[^/]+[\">]")
      set(used "${CMAKE_MATCH_1}")
      if(NOT used STREQUAL folder AND NOT used IN_LIST allowed_${folder})
        string(REPLACE ";" ", " allowed_text "${allowed_${folder}}")
        if(NOT allowed_text)
          set(allowed_text "nothing else")
        endif()
        message("src/wharf/${file}:${number}: includes wharf/${used}/, but ${folder}/ may use "
          "only ${allowed_text} (src/wharf/layers.cmake) — move the code down, or pass what it "
          "needs in from above")
        math(EXPR problems "${problems} + 1")
      endif()
    endif()
  endforeach()
endforeach()

# ARCHITECTURE.md's table, rows like "| `engine/` | `util/`, `transport/` |", must match.
file(STRINGS "${ROOT}/ARCHITECTURE.md" rows ENCODING UTF-8 REGEX "^\\| `[a-z_/]+/` \\| (`[a-z_/]+/`(, `[a-z_/]+/`)*|—) \\|$")
set(documented "")
foreach(row IN LISTS rows)
  string(REGEX MATCH "^\\| `([a-z_/]+)/` \\| (.*) \\|$" _ "${row}")
  set(folder "${CMAKE_MATCH_1}")
  string(REGEX MATCHALL "`[a-z_/]+/`" listed "${CMAKE_MATCH_2}")
  string(REGEX REPLACE "`([a-z_/]+)/`" "\\1" listed "${listed}")
  list(APPEND documented ${folder})
  if(NOT "${listed}" STREQUAL "${direct_${folder}}")
    string(REPLACE ";" ", " want "${direct_${folder}}")
    message("ARCHITECTURE.md: the layer row of ${folder}/ lists '${CMAKE_MATCH_2}', but "
      "src/wharf/layers.cmake says '${want}'")
    math(EXPR problems "${problems} + 1")
  endif()
endforeach()
foreach(folder IN LISTS layers)
  if(NOT folder IN_LIST documented)
    message("ARCHITECTURE.md: no layer row for ${folder}/ (src/wharf/layers.cmake declares it)")
    math(EXPR problems "${problems} + 1")
  endif()
endforeach()

list(LENGTH files count)
list(LENGTH layers layer_count)
if(problems GREATER 0)
  message(FATAL_ERROR "layering: ${problems} problem(s) in ${count} files of ${layer_count} layers")
endif()
message("layering: ${count} files of ${layer_count} layers include only what they may")
