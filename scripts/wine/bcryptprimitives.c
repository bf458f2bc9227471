/* ProcessPrng, which Rust's standard library takes its random numbers from on Windows, for
 * Wine 8 (Debian 12's), which has no bcryptprimitives.dll. It asks RtlGenRandom, which Wine
 * has. Only scripts/windows-check uses it, to run the unit tests under Wine. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
