// FUZZ_CHECK(condition): a contract the fuzz targets assert. A broken one is a finding like
// a crash: it names the condition, then aborts so libFuzzer saves the input.
#pragma once

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(condition)                                                                   \
  do {                                                                                          \
    if (!(condition)) {                                                                         \
      std::fprintf(stderr, "contract broken: %s (%s:%d)\n", #condition, __FILE__, __LINE__);   \
      std::abort();                                                                             \
    }                                                                                           \
  } while (false)
