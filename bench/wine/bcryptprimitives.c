/* A stand-in for the bcryptprimitives.dll of Windows 10 and later, which
   Wine 8 (Debian 12) does not have and Go's runtime loads at start for
   ProcessPrng, its source of random bytes. It answers from RtlGenRandom.
   For running the Windows build under Wine in bench/wine/run.sh only. */
#include <windows.h>
#include <ntsecapi.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
	while (len > 0) {
		ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len;
		if (!RtlGenRandom(data, n))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
