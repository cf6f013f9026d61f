# install(EXPORT), rebalanceConfig.cmake + version file, rebalance.pc and the
# uninstalled .pc the in-tree Go binding links against (docs/conventions.md, Build).
include(CMakePackageConfigHelpers)

set(REBALANCE_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/rebalance")

# Two export sets: the shared library's (rebalanceTargets.cmake) needs nothing
# else, the static ones' (rebalanceStaticTargets.cmake) name the dependencies'
# PkgConfig:: targets, so rebalanceConfig.cmake looks for those only for it.
get_target_property(REBALANCE_LIB_TYPE rebalance TYPE)
set(REBALANCE_STATIC_TARGETS "")
if(REBALANCE_LIB_TYPE STREQUAL "SHARED_LIBRARY")
  install(TARGETS rebalance EXPORT rebalanceTargets
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime NAMELINK_COMPONENT dev
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev
    RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime
    INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
  install(EXPORT rebalanceTargets NAMESPACE rebalance:: DESTINATION ${REBALANCE_CMAKE_DIR}
    COMPONENT dev)
else()
  list(APPEND REBALANCE_STATIC_TARGETS rebalance)
endif()
if(TARGET rebalance_static)
  list(APPEND REBALANCE_STATIC_TARGETS rebalance_static)
endif()
if(REBALANCE_STATIC_TARGETS)
  install(TARGETS ${REBALANCE_STATIC_TARGETS} EXPORT rebalanceStaticTargets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev
    INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
  install(EXPORT rebalanceStaticTargets NAMESPACE rebalance:: DESTINATION ${REBALANCE_CMAKE_DIR}
    COMPONENT dev)
endif()

# bin/rebalance finds the library of its own prefix, wherever it is installed.
if(TARGET rebalance_cli)
  file(RELATIVE_PATH rel_libdir "/${CMAKE_INSTALL_BINDIR}" "/${CMAKE_INSTALL_LIBDIR}")
  set_target_properties(rebalance_cli PROPERTIES INSTALL_RPATH "$ORIGIN/${rel_libdir}")
endif()
install(DIRECTORY include/rebalance DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT dev
  FILES_MATCHING PATTERN "*.h")
install(FILES "${CMAKE_CURRENT_BINARY_DIR}/include/rebalance/version.h"
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/rebalance COMPONENT dev)
configure_package_config_file(cmake/rebalanceConfig.cmake.in
  "${CMAKE_CURRENT_BINARY_DIR}/rebalanceConfig.cmake"
  INSTALL_DESTINATION ${REBALANCE_CMAKE_DIR})
# While at 0.x any minor may break the ABI, so only the same minor is compatible.
write_basic_package_version_file("${CMAKE_CURRENT_BINARY_DIR}/rebalanceConfigVersion.cmake"
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES "${CMAKE_CURRENT_BINARY_DIR}/rebalanceConfig.cmake"
  "${CMAKE_CURRENT_BINARY_DIR}/rebalanceConfigVersion.cmake"
  DESTINATION ${REBALANCE_CMAKE_DIR}
  COMPONENT dev)

# Relocatable: the prefix is found from where the .pc file lies, so
# `cmake --install --prefix DIR` gives a working .pc wherever DIR is.
set(pc_rel "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
string(REGEX REPLACE "[^/]+" ".." pc_rel "${pc_rel}")
set(PC_PREFIX "\${pcfiledir}/${pc_rel}")
set(PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
set(PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
# The static archive's dependencies, as this build linked them (pkg-config
# --static of libyaml, cJSON, libcyaml and Lua 5.1). A library wanted by one
# listed later must follow it: libcyaml first, and of duplicates the last is kept.
set(PC_STATIC_DEPS ${CYAML_STATIC_LDFLAGS} ${CJSON_STATIC_LDFLAGS} ${YAML_STATIC_LDFLAGS}
  ${LUA_STATIC_LDFLAGS} -lm)
list(REVERSE PC_STATIC_DEPS)
list(REMOVE_DUPLICATES PC_STATIC_DEPS)
list(REVERSE PC_STATIC_DEPS)
list(JOIN PC_STATIC_DEPS " " PC_STATIC_DEPS)
set(PC_STATIC_LIB "-L\${libdir} -lrebalance_static")
configure_file(cmake/rebalance.pc.in "${CMAKE_CURRENT_BINARY_DIR}/rebalance.pc" @ONLY)
configure_file(cmake/rebalance-static.pc.in "${CMAKE_CURRENT_BINARY_DIR}/rebalance-static.pc" @ONLY)
if(NOT REBALANCE_LIB_TYPE STREQUAL "SHARED_LIBRARY")
  # A static-only build: rebalance.pc is the static one under the usual name.
  configure_file(cmake/rebalance-static.pc.in "${CMAKE_CURRENT_BINARY_DIR}/rebalance.pc" @ONLY)
endif()
install(FILES "${CMAKE_CURRENT_BINARY_DIR}/rebalance.pc" DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig
  COMPONENT dev)
install(FILES "${CMAKE_CURRENT_BINARY_DIR}/rebalance-static.pc" DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig
  COMPONENT dev)
# librebalance_static.a -> librebalance.a, the name rebalance-static.pc links.
set(static_archive "${CMAKE_STATIC_LIBRARY_PREFIX}rebalance${CMAKE_STATIC_LIBRARY_SUFFIX}")
install(CODE "
  set(dir \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}\")
  if(IS_ABSOLUTE \"${CMAKE_INSTALL_LIBDIR}\")
    set(dir \"\$ENV{DESTDIR}${CMAKE_INSTALL_LIBDIR}\")
  endif()
  message(STATUS \"Installing: \${dir}/librebalance_static.a -> ${static_archive}\")
  file(CREATE_LINK ${static_archive} \"\${dir}/librebalance_static.a\" SYMBOLIC)
" COMPONENT dev)

# pkg-config prefers <name>-uninstalled.pc when its directory is on PKG_CONFIG_PATH:
# the bindings' tests link the build tree through it.
set(PC_PREFIX "${CMAKE_CURRENT_BINARY_DIR}")
set(PC_LIBDIR "$<TARGET_FILE_DIR:rebalance>")
set(PC_INCLUDEDIR "${CMAKE_CURRENT_SOURCE_DIR}/include -I${CMAKE_CURRENT_BINARY_DIR}/include")
configure_file(cmake/rebalance.pc.in "${CMAKE_CURRENT_BINARY_DIR}/rebalance-uninstalled.pc.in" @ONLY)
file(GENERATE OUTPUT "${CMAKE_CURRENT_BINARY_DIR}/pkgconfig/rebalance-uninstalled.pc"
  INPUT "${CMAKE_CURRENT_BINARY_DIR}/rebalance-uninstalled.pc.in")
# The static archive: rebalance_static beside a shared build, or `rebalance`
# itself in a static-only build (the asan preset's `go test -asan`).
set(static_target "")
if(TARGET rebalance_static)
  set(static_target rebalance_static)
elseif(NOT REBALANCE_LIB_TYPE STREQUAL "SHARED_LIBRARY")
  set(static_target rebalance)
endif()
if(static_target)
  set(PC_LIBDIR "$<TARGET_FILE_DIR:${static_target}>")
  set(PC_STATIC_LIB "$<TARGET_FILE:${static_target}>") # cgo puts it after the objects
  configure_file(cmake/rebalance-static.pc.in "${CMAKE_CURRENT_BINARY_DIR}/rebalance-static-uninstalled.pc.in" @ONLY)
  file(GENERATE OUTPUT "${CMAKE_CURRENT_BINARY_DIR}/pkgconfig/rebalance-static-uninstalled.pc"
    INPUT "${CMAKE_CURRENT_BINARY_DIR}/rebalance-static-uninstalled.pc.in")
endif()

# Debian packages (cpack -G DEB in the build directory): librebalance0 (the
# shared library), librebalance-dev (headers, static library, .pc and CMake
# files) and rebalance (the CLI, installed by tools/rebalance without a
# component: CMake's "Unspecified").
set(CPACK_PACKAGE_NAME rebalance)
set(CPACK_PACKAGE_VENDOR "rebalance")
set(CPACK_PACKAGE_CONTACT "rebalance maintainers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime dev Unspecified)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS OFF)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME librebalance0)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_DEPENDS "libyaml-0-2, libcjson1, libcyaml1, liblua5.1-0")
set(CPACK_DEBIAN_DEV_PACKAGE_NAME librebalance-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "librebalance0 (= ${PROJECT_VERSION})")
set(CPACK_DEBIAN_DEV_PACKAGE_SUGGESTS "libyaml-dev, libcjson-dev, libcyaml-dev, liblua5.1-0-dev, pkg-config")
set(CPACK_DEBIAN_UNSPECIFIED_PACKAGE_NAME rebalance)
set(CPACK_DEBIAN_UNSPECIFIED_PACKAGE_SECTION net)
set(CPACK_DEBIAN_UNSPECIFIED_PACKAGE_DEPENDS "librebalance0 (= ${PROJECT_VERSION})")
include(CPack)
