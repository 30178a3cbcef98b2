// Supplies std::ios_base_library_init() (GCC 13, GLIBCXX_3.4.32) for systems whose libstdc++ is older.
// TorchSharp 0.107's libLibTorchSharp.so references this one symbol; everything else it needs is in
// GLIBCXX_3.4.30. Constructing a std::ios_base::Init is exactly what GCC 13's definition does.
#include <ios>

namespace std {
void ios_base_library_init() { static ios_base::Init init; }
}
