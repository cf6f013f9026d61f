# install(EXPORT), rebalanceConfig.cmake + version file, rebalance.pc and the
# uninstalled .pc the in-tree Go binding links against (CONVENTIONS.md 7.8, rules 40-41).
include(CMakePackageConfigHelpers)

set(REBALANCE_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/rebalance")

set(REBALANCE_INSTALL_TARGETS rebalance)
if(TARGET rebalance_static)
  list(APPEND REBALANCE_INSTALL_TARGETS rebalance_static)
endif()
install(TARGETS ${REBALANCE_INSTALL_TARGETS} EXPORT rebalanceTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/rebalance DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h")
install(FILES "${CMAKE_CURRENT_BINARY_DIR}/include/rebalance/version.h"
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/rebalance)
install(EXPORT rebalanceTargets NAMESPACE rebalance:: DESTINATION ${REBALANCE_CMAKE_DIR})

get_target_property(REBALANCE_LIB_TYPE rebalance TYPE)
configure_package_config_file(cmake/rebalanceConfig.cmake.in
  "${CMAKE_CURRENT_BINARY_DIR}/rebalanceConfig.cmake"
  INSTALL_DESTINATION ${REBALANCE_CMAKE_DIR})
# While at 0.x any minor may break the ABI, so only the same minor is compatible.
write_basic_package_version_file("${CMAKE_CURRENT_BINARY_DIR}/rebalanceConfigVersion.cmake"
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES "${CMAKE_CURRENT_BINARY_DIR}/rebalanceConfig.cmake"
  "${CMAKE_CURRENT_BINARY_DIR}/rebalanceConfigVersion.cmake"
  DESTINATION ${REBALANCE_CMAKE_DIR})

# Relocatable: the prefix is found from where the .pc file lies, so
# `cmake --install --prefix DIR` gives a working .pc wherever DIR is.
set(pc_rel "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
string(REGEX REPLACE "[^/]+" ".." pc_rel "${pc_rel}")
set(PC_PREFIX "\${pcfiledir}/${pc_rel}")
set(PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
set(PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
configure_file(cmake/rebalance.pc.in "${CMAKE_CURRENT_BINARY_DIR}/rebalance.pc" @ONLY)
install(FILES "${CMAKE_CURRENT_BINARY_DIR}/rebalance.pc" DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# pkg-config prefers <name>-uninstalled.pc when its directory is on PKG_CONFIG_PATH:
# the bindings' tests link the build tree through it.
set(PC_PREFIX "${CMAKE_CURRENT_BINARY_DIR}")
set(PC_LIBDIR "$<TARGET_FILE_DIR:rebalance>")
set(PC_INCLUDEDIR "${CMAKE_CURRENT_SOURCE_DIR}/include -I${CMAKE_CURRENT_BINARY_DIR}/include")
configure_file(cmake/rebalance.pc.in "${CMAKE_CURRENT_BINARY_DIR}/rebalance-uninstalled.pc.in" @ONLY)
file(GENERATE OUTPUT "${CMAKE_CURRENT_BINARY_DIR}/pkgconfig/rebalance-uninstalled.pc"
  INPUT "${CMAKE_CURRENT_BINARY_DIR}/rebalance-uninstalled.pc.in")
