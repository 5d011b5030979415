// Entry point of the natsd native addon: registers each subsystem's bindings.
// Binding files only convert arguments and call the C++ core (src/subjects, src/filestore).
#include <napi.h>

namespace natsd {
int NativeAbiVersion();
}
void RegisterFileStore(Napi::Env env, Napi::Object exports);
void RegisterSublist(Napi::Env env, Napi::Object exports);

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("abiVersion", Napi::Number::New(env, natsd::NativeAbiVersion()));
  // Each subsystem adds one line here: Register<Subsystem>(env, exports);
  RegisterFileStore(env, exports);
  RegisterSublist(env, exports);
  return exports;
}

NODE_API_MODULE(natsd_native, Init)
