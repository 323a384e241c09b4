# kb_set_warnings(target): the project's warning and sanitizer flags, per target.
function(kb_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
  # GCC 12 reports -Wrestrict false positives inside libstdc++'s std::string at -O2
  # (GCC bug 105329); keep the warning elsewhere.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  if(KB_WARNINGS_AS_ERRORS)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(KB_SANITIZE)
    # Every UBSan finding stops the program (as ASan's do): a test cannot pass with one.
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-sanitize-recover=all
                                             -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined -fno-sanitize-recover=all)
  endif()
  if(KB_FUZZ)
    # Coverage instrumentation for libFuzzer in every target, so the libraries the fuzz
    # targets call guide the fuzzer; only the fuzz targets link libFuzzer itself (tests/fuzz).
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link)
    target_link_options(${target} PRIVATE -fsanitize=fuzzer-no-link)
  endif()
endfunction()
