// Invariant checks for the native core: a failed check is a programmer error and aborts with
// the file, line and condition. Errors the disk or a caller can cause are returned as Status
// values instead (see each subsystem's header).
#pragma once

#include <cstdio>
#include <cstdlib>

#define NATSD_ASSERT(cond)                                                              \
  do {                                                                                  \
    if (!(cond)) {                                                                      \
      std::fprintf(stderr, "natsd native assertion failed: %s (%s:%d)\n", #cond, __FILE__, \
                   __LINE__);                                                           \
      std::abort();                                                                     \
    }                                                                                   \
  } while (0)
