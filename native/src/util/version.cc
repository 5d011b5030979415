// The native core's ABI version: the TypeScript loader refuses an addon built from other sources.
namespace natsd {
int NativeAbiVersion() { return 1; }
}  // namespace natsd
