// Marks one version requirement (e.g. GLIBCXX_3.4.32) of an ELF64 shared object as weak
// (VER_FLG_WEAK), so the dynamic loader only warns when the system library lacks that version.
// Usage: weaken_verneed FILE VERSION. Exit 0 when the flag is set (or already was), 1 otherwise.
#include <elf.h>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

int main(int argc, char** argv) {
    if (argc != 3) { std::fprintf(stderr, "usage: %s FILE VERSION\n", argv[0]); return 2; }
    std::ifstream in(argv[1], std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    in.close();
    if (bytes.size() < sizeof(Elf64_Ehdr) || std::memcmp(bytes.data(), ELFMAG, SELFMAG) != 0) return 1;
    auto* ehdr = reinterpret_cast<Elf64_Ehdr*>(bytes.data());
    auto* shdrs = reinterpret_cast<Elf64_Shdr*>(bytes.data() + ehdr->e_shoff);
    for (int i = 0; i < ehdr->e_shnum; ++i) {
        if (shdrs[i].sh_type != SHT_GNU_verneed) continue;
        const char* strtab = bytes.data() + shdrs[shdrs[i].sh_link].sh_offset;
        size_t offset = shdrs[i].sh_offset;
        for (;;) {
            auto* need = reinterpret_cast<Elf64_Verneed*>(bytes.data() + offset);
            size_t auxOffset = offset + need->vn_aux;
            for (int a = 0; a < need->vn_cnt; ++a) {
                auto* aux = reinterpret_cast<Elf64_Vernaux*>(bytes.data() + auxOffset);
                if (std::strcmp(strtab + aux->vna_name, argv[2]) == 0) {
                    aux->vna_flags |= VER_FLG_WEAK;
                    std::ofstream out(argv[1], std::ios::binary | std::ios::trunc);
                    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
                    return out ? 0 : 1;
                }
                auxOffset += aux->vna_next;
            }
            if (need->vn_next == 0) break;
            offset += need->vn_next;
        }
    }
    return 1;
}
