# Warning set of docs/conventions.md (Build, warnings and sanitizers), applied to our own targets only (never to consumers).
set(REBALANCE_WARNINGS
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wstrict-prototypes
  -Wmissing-prototypes -Wold-style-definition -Wcast-qual -Wcast-align -Wformat=2 -Wundef -Wvla
  -Wnull-dereference -Wdouble-promotion -Wimplicit-fallthrough -Wwrite-strings -Wpointer-arith
  -Wdate-time)
if(CMAKE_C_COMPILER_ID MATCHES "Clang")
  list(APPEND REBALANCE_WARNINGS -Wdocumentation -Wmissing-variable-declarations)
endif()
if(REBALANCE_WERROR)
  list(APPEND REBALANCE_WARNINGS -Werror)
endif()

# Reproducible builds: no build directory in debug info or __FILE__.
set(REBALANCE_REPRO_FLAGS "-ffile-prefix-map=${CMAKE_SOURCE_DIR}=.")

function(rebalance_target_warnings target)
  target_compile_options(${target} PRIVATE ${REBALANCE_WARNINGS} ${REBALANCE_REPRO_FLAGS})
endfunction()
