file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix}
  RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "install failed")
endif()
file(GLOB_RECURSE pcdirs LIST_DIRECTORIES true "${prefix}/*/pkgconfig")
list(JOIN pcdirs ":" pcdirs)
set(ENV{PKG_CONFIG_PATH} "${pcdirs}")
execute_process(COMMAND ${CMAKE_COMMAND} -S ${CONSUMER_DIR} -B ${WORK_DIR}/build
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_RPATH=${prefix}/lib
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "consumer configure failed:\n${out}\n${err}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK_DIR}/build
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "consumer build failed:\n${out}\n${err}")
endif()
file(GLOB libdirs LIST_DIRECTORIES true "${prefix}/lib*")
# Statically linked consumers need no librebalance.so; the shared ones do.
find_program(READELF readelf REQUIRED)
foreach(exe consumer_shared consumer_static consumer_pkgconfig consumer_pkgconfig_static)
  execute_process(COMMAND ${READELF} -d ${WORK_DIR}/build/${exe} OUTPUT_VARIABLE dyn RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "readelf ${exe} failed")
  endif()
  string(FIND "${dyn}" "librebalance.so" at)
  if(exe MATCHES "static$" AND NOT at EQUAL -1)
    message(FATAL_ERROR "${exe} links the shared library:\n${dyn}")
  elseif(NOT exe MATCHES "static$" AND at EQUAL -1)
    message(FATAL_ERROR "${exe} does not link the shared library:\n${dyn}")
  endif()
endforeach()
# --cflags name our headers only (no -I/usr/include/cjson from the dependencies).
foreach(pc rebalance rebalance-static)
  execute_process(COMMAND pkg-config --cflags ${pc} OUTPUT_VARIABLE cflags RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0 OR cflags MATCHES "cjson|yaml")
    message(FATAL_ERROR "pkg-config --cflags ${pc}: ${cflags}")
  endif()
endforeach()
# The installed CLI finds the library of its prefix (install RPATH $ORIGIN/../lib).
execute_process(COMMAND ${CMAKE_COMMAND} -E env --unset=LD_LIBRARY_PATH ${prefix}/bin/rebalance --version
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "installed bin/rebalance does not run: ${out}${err}")
endif()
# Without the dependencies' .pc files, find_package(rebalance QUIET) still
# finds the shared library and prints nothing.
file(MAKE_DIRECTORY ${WORK_DIR}/no-pc)
execute_process(COMMAND ${CMAKE_COMMAND} -E env PKG_CONFIG_PATH=${WORK_DIR}/no-pc PKG_CONFIG_LIBDIR=${WORK_DIR}/no-pc
    ${CMAKE_COMMAND} -S ${CONSUMER_DIR}/../consumer_quiet -B ${WORK_DIR}/quiet -DCMAKE_PREFIX_PATH=${prefix}
    -DCMAKE_BUILD_RPATH=${prefix}/lib
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR err MATCHES "rebalance|Could not find|pkg")
  message(FATAL_ERROR "find_package(rebalance QUIET) without dependency .pc files:\n${out}\n${err}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK_DIR}/quiet RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "quiet consumer build failed:\n${out}\n${err}")
endif()
foreach(exe consumer_shared consumer_static consumer_pkgconfig consumer_pkgconfig_static)
  execute_process(COMMAND ${CMAKE_COMMAND} -E env "LD_LIBRARY_PATH=${libdirs}" ${WORK_DIR}/build/${exe}
    RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${exe} failed (${rc})")
  endif()
endforeach()
message(STATUS "installed package works: find_package (shared, static, QUIET without dependency .pc files), pkg-config (shared, static), bin/rebalance")
