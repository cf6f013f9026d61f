file(REMOVE_RECURSE ${WORK_DIR})
if(DEB)
  # The Debian packages (CPack): built, then unpacked into a scratch root
  # (installing them would change the machine), where the consumers build.
  execute_process(COMMAND cpack -G DEB --config ${BUILD_DIR}/CPackConfig.cmake -B ${WORK_DIR}/deb
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "cpack failed:\n${out}\n${err}")
  endif()
  foreach(pkg librebalance0 librebalance-dev rebalance)
    file(GLOB deb "${WORK_DIR}/deb/${pkg}_*.deb")
    if(NOT deb)
      message(FATAL_ERROR "no ${pkg} package")
    endif()
    execute_process(COMMAND dpkg-deb -x ${deb} ${WORK_DIR}/root RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "dpkg-deb -x ${deb} failed")
    endif()
  endforeach()
  set(prefix ${WORK_DIR}/root/usr)
else()
  set(prefix ${WORK_DIR}/prefix)
  execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix}
    RESULT_VARIABLE rc OUTPUT_QUIET)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "install failed")
  endif()
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

# A Go consumer outside the tree, requiring the module by its path (a local
# replace, no network), linked against the installed library: shared, and
# static with -tags rebalance_static (no librebalance.so needed).
if(GO)
  set(godir ${WORK_DIR}/go-consumer)
  file(WRITE ${godir}/go.mod "module example.com/consumer\n\ngo 1.19\n\n"
    "require rebalance.dev/bindings/go v0.0.0\n\n"
    "replace rebalance.dev/bindings/go => ${SOURCE_DIR}/bindings/go\n")
  file(WRITE ${godir}/main.go "package main\n\nimport (\n\t\"fmt\"\n\t\"log\"\n\n"
    "\t\"rebalance.dev/bindings/go/rebalance\"\n)\n\nfunc main() {\n"
    "\tt, err := rebalance.New(rebalance.Options{})\n\tif err != nil {\n\t\tlog.Fatal(err)\n\t}\n"
    "\tdefer t.Close()\n\tfmt.Println(rebalance.Version())\n}\n")
  set(goenv "PKG_CONFIG_PATH=${pcdirs}" "GOFLAGS=-mod=mod" "GOPROXY=off" "GOENV=off"
    "GOTOOLCHAIN=local" "CGO_ENABLED=1" "GOCACHE=${BUILD_DIR}/bindings/go-cache"
    "GOPATH=${BUILD_DIR}/bindings/gopath")
  foreach(kind shared static)
    set(tags "")
    if(kind STREQUAL "static")
      set(tags -tags rebalance_static)
    endif()
    execute_process(COMMAND ${CMAKE_COMMAND} -E env ${goenv} ${GO} build ${tags} -o ${godir}/consumer_${kind} .
      WORKING_DIRECTORY ${godir} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "Go consumer (${kind}) build failed:\n${out}\n${err}")
    endif()
    if(kind STREQUAL "static")
      set(run ${CMAKE_COMMAND} -E env --unset=LD_LIBRARY_PATH ${godir}/consumer_${kind})
    else()
      set(run ${CMAKE_COMMAND} -E env "LD_LIBRARY_PATH=${libdirs}" ${godir}/consumer_${kind})
    endif()
    execute_process(COMMAND ${run} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0 OR NOT out MATCHES "^0\\.")
      message(FATAL_ERROR "Go consumer (${kind}) failed (${rc}): ${out}${err}")
    endif()
  endforeach()
endif()

# The Python binding, pip-installed, finds the installed library by its SONAME.
if(PYTHON)
  execute_process(COMMAND ${PYTHON} -m pip install -q --no-build-isolation --no-index
      --disable-pip-version-check --target ${WORK_DIR}/python ${SOURCE_DIR}/bindings/python
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "pip install bindings/python failed:\n${out}\n${err}")
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} -E env --unset=REBALANCE_LIBRARY
      "LD_LIBRARY_PATH=${libdirs}" "PYTHONPATH=${WORK_DIR}/python"
      ${PYTHON} -c "import rebalance, rebalance._lib as l; print(l.path, rebalance.version())"
    WORKING_DIRECTORY ${WORK_DIR} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0 OR NOT out MATCHES "^librebalance\\.so\\.0\\.[0-9]+ 0\\.")
    message(FATAL_ERROR "Python consumer failed (${rc}): ${out}${err}")
  endif()
endif()
message(STATUS "installed package works: find_package (shared, static, QUIET without dependency .pc files), pkg-config (shared, static), bin/rebalance, Go (shared, static), Python")
