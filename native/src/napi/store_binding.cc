// N-API binding of the native file store (src/filestore/store.h): argument conversion only.
// Messages cross the boundary as frames (src/filestore/msg_frame.h) in Uint8Arrays, many per
// call; flush jobs and open/close run on the libuv worker pool (Napi::AsyncWorker) so the event
// loop keeps running while the disk works. The TypeScript side is
// src/jetstream/store/file_store.ts.
#include <napi.h>

#include <map>
#include <memory>
#include <string>

#include "filestore/msg_frame.h"
#include "filestore/snapshot.h"
#include "filestore/store.h"
#include "util/coding.h"

namespace {

using natsd::filestore::Code;
using natsd::filestore::Frame;
using natsd::filestore::Store;
using natsd::filestore::StoredMsg;

constexpr uint32_t kFrameFlagPerSubjectExempt = 2;  // _frame.ts: rollup messages

std::string ArgString(const Napi::Value& v) { return v.As<Napi::String>().Utf8Value(); }
uint64_t ArgU64(const Napi::Value& v) {
  return static_cast<uint64_t>(v.As<Napi::Number>().Int64Value());
}
int64_t ArgBigInt(const Napi::Value& v) {
  bool lossless = true;
  return v.As<Napi::BigInt>().Int64Value(&lossless);
}
int64_t OptNumber(const Napi::Object& o, const char* key) {
  Napi::Value v = o.Get(key);
  if (v.IsBigInt()) return ArgBigInt(v);
  return v.IsNumber() ? v.As<Napi::Number>().Int64Value() : 0;
}
bool OptBool(const Napi::Object& o, const char* key) {
  Napi::Value v = o.Get(key);
  return v.IsBoolean() && v.As<Napi::Boolean>().Value();
}

natsd::filestore::Limits ParseLimits(const Napi::Object& o) {
  natsd::filestore::Limits l;
  l.max_msgs = OptNumber(o, "maxMsgs");
  l.max_bytes = OptNumber(o, "maxBytes");
  l.max_age_ns = OptNumber(o, "maxAgeNs");
  l.max_msgs_per_subject = OptNumber(o, "maxMsgsPerSubject");
  l.max_msg_size = OptNumber(o, "maxMsgSize");
  l.discard_new = OptBool(o, "discardNew");
  l.discard_new_per_subject = OptBool(o, "discardNewPerSubject");
  return l;
}

Napi::Value MsgResult(Napi::Env env, Code code, const StoredMsg& m) {
  if (code != Code::kOk) return Napi::Number::New(env, static_cast<int>(code));
  std::string out;
  Frame f;
  f.subject = m.msg.subject();
  f.hdr = m.msg.hdr();
  f.payload = m.msg.payload();
  f.seq = m.seq;
  f.ts = m.ts;
  f.ttl = m.msg.ttl;
  natsd::filestore::AppendFrame(&out, f);
  return Napi::Buffer<uint8_t>::Copy(env, reinterpret_cast<const uint8_t*>(out.data()), out.size());
}

Napi::Float64Array Seqs(Napi::Env env, const std::vector<uint64_t>& seqs) {
  auto arr = Napi::Float64Array::New(env, seqs.size());
  for (size_t i = 0; i < seqs.size(); i++) arr[i] = static_cast<double>(seqs[i]);
  return arr;
}

class NativeFileStore : public Napi::ObjectWrap<NativeFileStore> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit NativeFileStore(const Napi::CallbackInfo& info)
      : Napi::ObjectWrap<NativeFileStore>(info) {}

  std::unique_ptr<Store> store_;
  std::map<uint32_t, std::unique_ptr<natsd::filestore::SnapshotCursor>> snapshots_;
  uint32_t next_snapshot_ = 1;

 private:
  Store* S(const Napi::CallbackInfo& info) {
    if (!store_) throw Napi::Error::New(info.Env(), "the native file store is not open");
    return store_.get();
  }
  Napi::Value Open(const Napi::CallbackInfo& info);
  Napi::Value Append(const Napi::CallbackInfo& info);
  Napi::Value FastState(const Napi::CallbackInfo& info);
  Napi::Value Skip(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), static_cast<int>(S(info)->Skip(
        ArgU64(info[0]), ArgU64(info[1]), ArgBigInt(info[2]))));
  }
  Napi::Value Remove(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), static_cast<int>(S(info)->Remove(
        ArgU64(info[0]), info[1].As<Napi::Boolean>().Value())));
  }
  Napi::Value Purge(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), static_cast<double>(S(info)->Purge()));
  }
  Napi::Value PurgeEx(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), static_cast<double>(S(info)->PurgeEx(
        ArgString(info[0]), ArgU64(info[1]), ArgU64(info[2]))));
  }
  Napi::Value Compact(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), static_cast<double>(S(info)->Compact(ArgU64(info[0]))));
  }
  Napi::Value Truncate(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), static_cast<int>(S(info)->Truncate(ArgU64(info[0]))));
  }
  Napi::Value UpdateLimits(const Napi::CallbackInfo& info) {
    S(info)->UpdateLimits(ParseLimits(info[0].As<Napi::Object>()));
    return info.Env().Undefined();
  }
  Napi::Value Expire(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), static_cast<double>(S(info)->Expire(ArgBigInt(info[0]))));
  }
  Napi::Value Load(const Napi::CallbackInfo& info) {
    StoredMsg m;
    Code code = S(info)->Load(ArgU64(info[0]), &m);
    return MsgResult(info.Env(), code, m);
  }
  Napi::Value LoadNext(const Napi::CallbackInfo& info) {
    StoredMsg m;
    Code code = S(info)->LoadNext(ArgString(info[0]), ArgU64(info[1]), &m);
    return MsgResult(info.Env(), code, m);
  }
  Napi::Value LoadPrev(const Napi::CallbackInfo& info) {
    StoredMsg m;
    Code code = S(info)->LoadPrev(ArgString(info[0]), ArgU64(info[1]), &m);
    return MsgResult(info.Env(), code, m);
  }
  Napi::Value LoadLast(const Napi::CallbackInfo& info) {
    StoredMsg m;
    Code code = S(info)->LoadLast(ArgString(info[0]), &m);
    return MsgResult(info.Env(), code, m);
  }
  Napi::Value SubjectForSeq(const Napi::CallbackInfo& info) {
    std::string subject;
    Code code = S(info)->SubjectForSeq(ArgU64(info[0]), &subject);
    if (code != Code::kOk) return Napi::Number::New(info.Env(), static_cast<int>(code));
    return Napi::String::New(info.Env(), subject);
  }
  Napi::Value GetSeqFromTime(const Napi::CallbackInfo& info) {
    const uint64_t seq = S(info)->GetSeqFromTime(ArgBigInt(info[0]));
    return Napi::Number::New(info.Env(), static_cast<double>(seq));
  }
  Napi::Value FilteredState(const Napi::CallbackInfo& info) {
    auto ss = S(info)->FilteredState(ArgU64(info[0]), ArgString(info[1]));
    auto arr = Napi::Float64Array::New(info.Env(), 3);
    arr[0] = static_cast<double>(ss.msgs);
    arr[1] = static_cast<double>(ss.first);
    arr[2] = static_cast<double>(ss.last);
    return arr;
  }
  Napi::Value SubjectsState(const Napi::CallbackInfo& info);
  Napi::Value NumPending(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), static_cast<double>(S(info)->NumPending(
        ArgU64(info[0]), ArgString(info[1]), info[2].As<Napi::Boolean>().Value())));
  }
  Napi::Value AllLastSeqs(const Napi::CallbackInfo& info) {
    return Seqs(info.Env(), S(info)->AllLastSeqs());
  }
  Napi::Value DeletedSeqs(const Napi::CallbackInfo& info) {
    return Seqs(info.Env(), S(info)->DeletedSeqs());
  }
  Napi::Value LostSeqs(const Napi::CallbackInfo& info) {
    return Seqs(info.Env(), S(info)->LostSeqs());
  }
  Napi::Value TakeDamage(const Napi::CallbackInfo& info);
  Napi::Value HasPendingWork(const Napi::CallbackInfo& info) {
    return Napi::Boolean::New(info.Env(), S(info)->HasPendingWork());
  }
  Napi::Value Flush(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);
  Napi::Value SnapshotOpen(const Napi::CallbackInfo& info);
  Napi::Value SnapshotNext(const Napi::CallbackInfo& info);
  Napi::Value SnapshotClose(const Napi::CallbackInfo& info) {
    snapshots_.erase(static_cast<uint32_t>(ArgU64(info[0])));
    return info.Env().Undefined();
  }
};

// Opening recovers the store (reading or scanning every block) on a worker thread.
class OpenWorker : public Napi::AsyncWorker {
 public:
  OpenWorker(Napi::Function cb, NativeFileStore* owner, natsd::filestore::Options options)
      : Napi::AsyncWorker(cb), owner_(owner), options_(std::move(options)) {
    owner_->Ref();
  }
  void Execute() override {
    status_ = Store::Open(natsd::PosixEnv(), std::move(options_), &store_);
  }
  void OnOK() override {
    owner_->Unref();
    Napi::Env env = Env();
    if (!status_.ok()) {
      const char* code = status_.IsBadKey() ? "bad_key" : status_.IsIOError() ? "io" : "corrupt";
      Callback().Call({Napi::String::New(env, status_.ToString()), Napi::String::New(env, code)});
      return;
    }
    owner_->store_ = std::move(store_);
    Callback().Call({env.Null(), env.Null()});
  }

 private:
  NativeFileStore* owner_;
  natsd::filestore::Options options_;
  natsd::Status status_;
  std::unique_ptr<Store> store_;
};

// One group commit: the writes of one flush job, and their fsync, off the event loop.
class FlushWorker : public Napi::AsyncWorker {
 public:
  FlushWorker(Napi::Function cb, NativeFileStore* owner,
              std::unique_ptr<natsd::filestore::FlushJob> job)
      : Napi::AsyncWorker(cb), owner_(owner), job_(std::move(job)) {
    owner_->Ref();
  }
  void Execute() override { natsd::filestore::RunFlushJob(natsd::PosixEnv(), job_.get()); }
  void OnOK() override {
    owner_->Unref();
    Napi::Env env = Env();
    const natsd::Status status = job_->status;
    if (owner_->store_) owner_->store_->FinishFlushJob(std::move(job_));
    Callback().Call({status.ok() ? env.Null() : Napi::String::New(env, status.ToString())});
  }

 private:
  NativeFileStore* owner_;
  std::unique_ptr<natsd::filestore::FlushJob> job_;
};

class CloseWorker : public Napi::AsyncWorker {
 public:
  CloseWorker(Napi::Function cb, NativeFileStore* owner)
      : Napi::AsyncWorker(cb), owner_(owner) {
    owner_->Ref();
  }
  void Execute() override { status_ = owner_->store_->Close(); }
  void OnOK() override {
    owner_->Unref();
    owner_->store_.reset();
    owner_->snapshots_.clear();
    Napi::Env env = Env();
    Callback().Call({status_.ok() ? env.Null() : Napi::String::New(env, status_.ToString())});
  }

 private:
  NativeFileStore* owner_;
  natsd::Status status_;
};

Napi::Value NativeFileStore::Open(const Napi::CallbackInfo& info) {
  Napi::Object o = info[0].As<Napi::Object>();
  natsd::filestore::Options options;
  options.dir = ArgString(o.Get("dir"));
  options.block_size = static_cast<uint32_t>(OptNumber(o, "blockSize"));
  options.compress = OptBool(o, "compress");
  options.cipher = static_cast<natsd::CipherId>(OptNumber(o, "cipher"));
  Napi::Value key = o.Get("key");
  if (key.IsTypedArray()) {
    auto bytes = key.As<Napi::Uint8Array>();
    options.key.assign(reinterpret_cast<const char*>(bytes.Data()), bytes.ByteLength());
  }
  options.sync_always = OptBool(o, "syncAlways");
  options.limits = ParseLimits(o.Get("limits").As<Napi::Object>());
  (new OpenWorker(info[1].As<Napi::Function>(), this, std::move(options)))->Queue();
  return info.Env().Undefined();
}

// append(frames, checkDiscardNew): stores every frame in order; returns 0, or the code of the
// first frame that was refused (the frames before it are stored).
Napi::Value NativeFileStore::Append(const Napi::CallbackInfo& info) {
  Store* store = S(info);
  auto bytes = info[0].As<Napi::Uint8Array>();
  const bool check = info[1].As<Napi::Boolean>().Value();
  const char* data = reinterpret_cast<const char*>(bytes.Data());
  const size_t size = bytes.ByteLength();
  size_t pos = 0;
  Frame f;
  while (pos < size) {
    const size_t at = pos;
    if (!natsd::filestore::ParseFrame(data, size, &pos, &f)) {
      throw Napi::TypeError::New(info.Env(), "malformed message frame");
    }
    natsd::filestore::MsgIn m;
    m.subject = f.subject;
    m.hdr = f.hdr;
    m.payload = f.payload;
    m.seq = f.seq;
    m.ts = f.ts;
    m.ttl = f.ttl;
    m.per_subject_exempt = (natsd::DecodeFixed32(data + at + 12) & kFrameFlagPerSubjectExempt) != 0;
    uint64_t seq = 0;
    const Code code = store->Append(m, check, &seq);
    if (code != Code::kOk) return Napi::Number::New(info.Env(), static_cast<int>(code));
  }
  return Napi::Number::New(info.Env(), 0);
}

// fastState(out: ArrayBuffer of 96 bytes): 9 doubles (msgs, bytes, firstSeq, lastSeq,
// numSubjects, numDeleted, lostMsgs, lostBytes, pendingBytes), then 3 int64 (firstTs, lastTs,
// nextExpiry).
Napi::Value NativeFileStore::FastState(const Napi::CallbackInfo& info) {
  auto buf = info[0].As<Napi::ArrayBuffer>();
  if (buf.ByteLength() < 96) throw Napi::RangeError::New(info.Env(), "state buffer too small");
  const auto s = S(info)->GetFastState();
  auto* d = static_cast<double*>(buf.Data());
  const double values[] = {double(s.msgs), double(s.bytes), double(s.first_seq),
                           double(s.last_seq), double(s.num_subjects), double(s.num_deleted),
                           double(s.lost_msgs), double(s.lost_bytes), double(s.pending_bytes)};
  for (int i = 0; i < 9; i++) d[i] = values[i];
  auto* t = reinterpret_cast<char*>(buf.Data()) + 72;
  natsd::EncodeFixed64(t, static_cast<uint64_t>(s.first_ts));
  natsd::EncodeFixed64(t + 8, static_cast<uint64_t>(s.last_ts));
  natsd::EncodeFixed64(t + 16, static_cast<uint64_t>(s.next_expiry));
  return info.Env().Undefined();
}

// subjectsState(filter): u32 count, then per subject u16 length, the subject, u64 msgs, first,
// last.
Napi::Value NativeFileStore::SubjectsState(const Napi::CallbackInfo& info) {
  const auto entries = S(info)->SubjectsState(ArgString(info[0]));
  std::string out;
  natsd::PutFixed32(&out, static_cast<uint32_t>(entries.size()));
  for (const auto& [subject, ss] : entries) {
    char len[2];
    natsd::EncodeFixed16(len, static_cast<uint16_t>(subject.size()));
    out.append(len, 2).append(subject);
    natsd::PutFixed64(&out, ss.msgs);
    natsd::PutFixed64(&out, ss.first);
    natsd::PutFixed64(&out, ss.last);
  }
  return Napi::Buffer<uint8_t>::Copy(info.Env(), reinterpret_cast<const uint8_t*>(out.data()),
                                     out.size());
}

Napi::Value NativeFileStore::TakeDamage(const Napi::CallbackInfo& info) {
  const auto events = S(info)->TakeDamage();
  Napi::Env env = info.Env();
  auto arr = Napi::Array::New(env, events.size());
  for (size_t i = 0; i < events.size(); i++) {
    auto o = Napi::Object::New(env);
    o.Set("block", Napi::Number::New(env, events[i].block));
    o.Set("offset", Napi::Number::New(env, static_cast<double>(events[i].offset)));
    o.Set("length", Napi::Number::New(env, static_cast<double>(events[i].length)));
    o.Set("reason", Napi::String::New(env, events[i].reason));
    arr[i] = o;
  }
  return arr;
}

// flush(sync, callback): starts a flush job when there is something to write (or to sync);
// returns whether one was started. The callback gets null or an error message.
Napi::Value NativeFileStore::Flush(const Napi::CallbackInfo& info) {
  Store* store = S(info);
  auto job = store->TakeFlushJob(info[0].As<Napi::Boolean>().Value());
  if (!job) return Napi::Boolean::New(info.Env(), false);
  (new FlushWorker(info[1].As<Napi::Function>(), this, std::move(job)))->Queue();
  return Napi::Boolean::New(info.Env(), true);
}

Napi::Value NativeFileStore::Close(const Napi::CallbackInfo& info) {
  S(info);
  if (store_->job_out()) throw Napi::Error::New(info.Env(), "close while a flush is running");
  (new CloseWorker(info[0].As<Napi::Function>(), this))->Queue();
  return info.Env().Undefined();
}

Napi::Value NativeFileStore::SnapshotOpen(const Napi::CallbackInfo& info) {
  const uint32_t id = next_snapshot_++;
  snapshots_[id] = S(info)->OpenSnapshot();
  return Napi::Number::New(info.Env(), id);
}

// snapshotNext(id, maxBytes): the next frames, or null when the snapshot is exhausted.
Napi::Value NativeFileStore::SnapshotNext(const Napi::CallbackInfo& info) {
  auto it = snapshots_.find(static_cast<uint32_t>(ArgU64(info[0])));
  if (it == snapshots_.end()) return info.Env().Null();
  std::string out;
  const bool more = it->second->Next(static_cast<size_t>(ArgU64(info[1])), &out);
  if (!more) snapshots_.erase(it);
  if (out.empty()) return info.Env().Null();
  return Napi::Buffer<uint8_t>::Copy(info.Env(), reinterpret_cast<const uint8_t*>(out.data()),
                                     out.size());
}

Napi::Function NativeFileStore::Define(Napi::Env env) {
  return DefineClass(env, "NativeFileStore", {
      InstanceMethod<&NativeFileStore::Open>("open"),
      InstanceMethod<&NativeFileStore::Append>("append"),
      InstanceMethod<&NativeFileStore::FastState>("fastState"),
      InstanceMethod<&NativeFileStore::Skip>("skip"),
      InstanceMethod<&NativeFileStore::Remove>("remove"),
      InstanceMethod<&NativeFileStore::Purge>("purge"),
      InstanceMethod<&NativeFileStore::PurgeEx>("purgeEx"),
      InstanceMethod<&NativeFileStore::Compact>("compact"),
      InstanceMethod<&NativeFileStore::Truncate>("truncate"),
      InstanceMethod<&NativeFileStore::UpdateLimits>("updateLimits"),
      InstanceMethod<&NativeFileStore::Expire>("expire"),
      InstanceMethod<&NativeFileStore::Load>("load"),
      InstanceMethod<&NativeFileStore::LoadNext>("loadNext"),
      InstanceMethod<&NativeFileStore::LoadPrev>("loadPrev"),
      InstanceMethod<&NativeFileStore::LoadLast>("loadLast"),
      InstanceMethod<&NativeFileStore::SubjectForSeq>("subjectForSeq"),
      InstanceMethod<&NativeFileStore::GetSeqFromTime>("getSeqFromTime"),
      InstanceMethod<&NativeFileStore::FilteredState>("filteredState"),
      InstanceMethod<&NativeFileStore::SubjectsState>("subjectsState"),
      InstanceMethod<&NativeFileStore::NumPending>("numPending"),
      InstanceMethod<&NativeFileStore::AllLastSeqs>("allLastSeqs"),
      InstanceMethod<&NativeFileStore::DeletedSeqs>("deletedSeqs"),
      InstanceMethod<&NativeFileStore::LostSeqs>("lostSeqs"),
      InstanceMethod<&NativeFileStore::TakeDamage>("takeDamage"),
      InstanceMethod<&NativeFileStore::HasPendingWork>("hasPendingWork"),
      InstanceMethod<&NativeFileStore::Flush>("flush"),
      InstanceMethod<&NativeFileStore::Close>("close"),
      InstanceMethod<&NativeFileStore::SnapshotOpen>("snapshotOpen"),
      InstanceMethod<&NativeFileStore::SnapshotNext>("snapshotNext"),
      InstanceMethod<&NativeFileStore::SnapshotClose>("snapshotClose"),
  });
}

}  // namespace

void RegisterFileStore(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeFileStore", NativeFileStore::Define(env));
}
