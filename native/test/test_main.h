// A minimal test harness for the native core: each *_test.cc defines TEST cases and includes
// this header once; the executable exits non-zero if any check fails.
#pragma once

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

namespace natsd_test {
struct Case { std::string name; std::function<void()> body; };
inline std::vector<Case>& cases() { static std::vector<Case> all; return all; }
inline int& failures() { static int count = 0; return count; }
struct Register { Register(const char* n, std::function<void()> b) { cases().push_back({n, b}); } };
}  // namespace natsd_test

#define TEST(name) \
  static void name(); \
  static natsd_test::Register name##_reg(#name, name); \
  static void name()

#define CHECK(cond) \
  do { if (!(cond)) { std::fprintf(stderr, "  CHECK failed: %s (%s:%d)\n", #cond, __FILE__, \
       __LINE__); ++natsd_test::failures(); } } while (0)

int main() {
  for (auto& c : natsd_test::cases()) {
    int before = natsd_test::failures();
    c.body();
    std::printf("%s %s\n", natsd_test::failures() == before ? "ok  " : "FAIL", c.name.c_str());
  }
  return natsd_test::failures() == 0 ? 0 : 1;
}
