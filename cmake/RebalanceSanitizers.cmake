# ASan+UBSan for the whole build (library, CLI, tests). Sanitizer builds should be static:
# -Wl,--no-undefined on a shared library fails to link under clang ASan (docs/conventions.md, Build).
if(REBALANCE_SANITIZE)
  set(REBALANCE_SAN_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_compile_options(${REBALANCE_SAN_FLAGS})
  add_link_options(${REBALANCE_SAN_FLAGS})
endif()
