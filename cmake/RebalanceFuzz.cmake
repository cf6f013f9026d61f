# Fuzzing builds (docs/fuzzing.md), chosen with REBALANCE_FUZZ:
#   OFF         no fuzz targets
#   standalone  fuzz_* linked with fuzz/standalone_main.c (any compiler): ctest
#               replays the corpora (fuzz.replay.*)
#   libfuzzer   clang: fuzz_* linked with libFuzzer; the whole build gets
#               -fsanitize=fuzzer-no-link plus ASan+UBSan (REBALANCE_SANITIZE)
#   afl         CC=afl-clang-fast (AFL_USE_ASAN=1 AFL_USE_UBSAN=1 in the
#               environment for sanitizers): fuzz_* linked with AFL++'s driver
# REBALANCE_FUZZ_ENGINE, when set, is the link flag of the engine and nothing
# else is added: OSS-Fuzz passes $LIB_FUZZING_ENGINE there, and its $CFLAGS
# already carry the sanitizer and coverage flags.
# Included before the library is defined, so the flags reach every object.
set(REBALANCE_FUZZ_ENGINE "" CACHE STRING "Link flags of the fuzzing engine (OSS-Fuzz: \$LIB_FUZZING_ENGINE)")

if(NOT REBALANCE_FUZZ MATCHES "^(OFF|standalone|libfuzzer|afl)$")
  message(FATAL_ERROR "REBALANCE_FUZZ must be OFF, standalone, libfuzzer or afl, not '${REBALANCE_FUZZ}'")
endif()

if(REBALANCE_FUZZ STREQUAL "libfuzzer" AND REBALANCE_FUZZ_ENGINE STREQUAL "")
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "REBALANCE_FUZZ=libfuzzer needs clang (CC=clang)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
  set(REBALANCE_SANITIZE ON)
endif()
