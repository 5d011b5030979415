// N-API binding of the subject trie (native/src/subjects/subject_trie.h): argument conversion
// only. JS side: src/subjects/native_trie.ts.
//
//   new NativeSublist()
//   insert(id: number, subject: string, queue: string | null): number   (InsertStatus)
//   remove(id: number): boolean
//   match(subject: string, out: Int32Array): number
//       ints written; 0 for a subject with an empty token; -(ints needed) if `out` is too small
//   count(): number
//
// Each call from Bun costs ~100 ns, so a match is one call that packs the whole result into the
// caller's Int32Array rather than building JS arrays or strings.
#include <napi.h>

#include <string>
#include <string_view>

#include "subjects/subject_trie.h"

namespace natsd {
namespace {

// A JS string argument as UTF-8: in an inline buffer when it fits (subjects almost always do),
// on the heap otherwise.
class Utf8Arg {
 public:
  Utf8Arg(Napi::Env env, napi_value value, const char* what) {
    size_t length = 0;
    if (napi_get_value_string_utf8(env, value, inline_, sizeof(inline_), &length) != napi_ok) {
      throw Napi::TypeError::New(env, std::string(what) + " must be a string");
    }
    // A copy shorter than the buffer by a whole UTF-8 sequence cannot have been truncated.
    if (length + kUtf8SequenceBytesMax < sizeof(inline_)) {
      view_ = std::string_view(inline_, length);
      return;
    }
    napi_get_value_string_utf8(env, value, nullptr, 0, &length);
    heap_.resize(length + 1);
    napi_get_value_string_utf8(env, value, heap_.data(), heap_.size(), &length);
    view_ = std::string_view(heap_.data(), length);
  }
  std::string_view view() const { return view_; }

 private:
  static constexpr size_t kUtf8SequenceBytesMax = 4;
  static constexpr size_t kInlineBytes = 512;
  char inline_[kInlineBytes];
  std::string heap_;
  std::string_view view_;
};

uint32_t IdArg(const Napi::CallbackInfo& info, size_t index) {
  if (!info[index].IsNumber()) throw Napi::TypeError::New(info.Env(), "id must be a number");
  return info[index].As<Napi::Number>().Uint32Value();
}

class SublistBinding : public Napi::ObjectWrap<SublistBinding> {
 public:
  static Napi::Function Define(Napi::Env env) {
    // Writable and configurable like the methods of a JS class (tests wrap `match` to count
    // native calls).
    constexpr napi_property_attributes kMethod = napi_default_method;
    return DefineClass(env, "NativeSublist", {
      InstanceMethod<&SublistBinding::Insert>("insert", kMethod),
      InstanceMethod<&SublistBinding::Remove>("remove", kMethod),
      InstanceMethod<&SublistBinding::Match>("match", kMethod),
      InstanceMethod<&SublistBinding::Count>("count", kMethod),
    });
  }

  explicit SublistBinding(const Napi::CallbackInfo& info)
      : Napi::ObjectWrap<SublistBinding>(info) {}

 private:
  Napi::Value Insert(const Napi::CallbackInfo& info) {
    uint32_t id = IdArg(info, 0);
    Utf8Arg subject(info.Env(), info[1], "subject");
    subjects::InsertStatus status;
    if (info[2].IsNull() || info[2].IsUndefined()) {
      status = trie_.Insert(id, subject.view(), nullptr);
    } else {
      Utf8Arg queue(info.Env(), info[2], "queue");
      std::string_view queue_view = queue.view();
      status = trie_.Insert(id, subject.view(), &queue_view);
    }
    return Napi::Number::New(info.Env(), static_cast<int32_t>(status));
  }

  Napi::Value Remove(const Napi::CallbackInfo& info) {
    return Napi::Boolean::New(info.Env(), trie_.Remove(IdArg(info, 0)));
  }

  Napi::Value Match(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Utf8Arg subject(env, info[0], "subject");
    napi_typedarray_type type;
    size_t capacity = 0;
    void* data = nullptr;
    if (napi_get_typedarray_info(env, info[1], &type, &capacity, &data, nullptr, nullptr) !=
            napi_ok ||
        type != napi_int32_array) {
      throw Napi::TypeError::New(env, "out must be an Int32Array");
    }
    if (!trie_.Match(subject.view(), &result_)) return Napi::Number::New(env, 0);
    size_t needed = result_.PackedInts();
    if (needed > capacity) return Napi::Number::New(env, -static_cast<double>(needed));
    result_.Pack(static_cast<int32_t*>(data));
    return Napi::Number::New(env, static_cast<double>(needed));
  }

  Napi::Value Count(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), static_cast<double>(trie_.count()));
  }

  subjects::SubjectTrie trie_;
  subjects::MatchResult result_;
};

}  // namespace
}  // namespace natsd

void RegisterSublist(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeSublist", natsd::SublistBinding::Define(env));
}
