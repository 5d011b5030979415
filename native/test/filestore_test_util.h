// Shared helpers for the file store's C++ tests: a store on a FaultEnv, synchronous flushing,
// crash-and-reopen, and reading files back.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "filestore/snapshot.h"
#include "filestore/store.h"
#include "test_main.h"
#include "util/fault_env.h"

namespace natsd_test {

using natsd::FaultEnv;
using namespace natsd::filestore;

struct StoreFixture {
  FaultEnv env;
  Options options;
  std::unique_ptr<Store> store;
  int64_t clock = 1'000'000'000;

  explicit StoreFixture(uint32_t block_size = 4096) {
    options.dir = "/data/stream";
    options.block_size = block_size;
  }
  void Open() {
    natsd::Status s = Store::Open(&env, options, &store);
    if (!s.ok()) std::fprintf(stderr, "  open failed: %s\n", s.ToString().c_str());
    CHECK(s.ok());
  }
  // Runs flush jobs until the store has nothing left to write; false if a job failed.
  bool Flush() {
    while (auto job = store->TakeFlushJob(true)) {
      RunFlushJob(&env, job.get());
      const bool ok = job->status.ok();
      store->FinishFlushJob(std::move(job));
      if (!ok) return false;
    }
    return true;
  }
  void Reopen() {
    CHECK(store->Close().ok());
    store.reset();
    Open();
  }
  void CrashAndReopen() {
    store.reset();
    env.Crash();
    Open();
  }
  uint64_t Put(const std::string& subject, const std::string& payload, int64_t ttl = 0,
               const std::string& hdr = "") {
    MsgIn m;
    m.subject = subject;
    m.payload = payload;
    m.hdr = hdr;
    m.ts = clock++;
    m.ttl = ttl;
    uint64_t seq = 0;
    CHECK(store->Append(m, true, &seq) == Code::kOk);
    return seq;
  }
  std::string Payload(uint64_t seq) {
    StoredMsg msg;
    if (store->Load(seq, &msg) != Code::kOk) return "<missing>";
    return std::string(msg.msg.payload());
  }
  std::vector<std::string> Files() {
    std::vector<std::string> names;
    env.ListDir(options.dir + "/msgs", &names);
    return names;
  }
  uint64_t DiskBytes() {
    uint64_t total = 0;
    for (const auto& name : Files()) {
      uint64_t size = 0;
      env.GetFileSize(options.dir + "/msgs/" + name, &size);
      total += size;
    }
    return total;
  }
  bool AnyFileContains(const std::string& needle) {
    for (const auto& name : Files()) {
      std::string data;
      env.GetContents(options.dir + "/msgs/" + name, &data);
      if (data.find(needle) != std::string::npos) return true;
    }
    return false;
  }
};

}  // namespace natsd_test
