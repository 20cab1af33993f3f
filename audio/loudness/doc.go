// Package loudness measures programme loudness and peaks as ITU-R BS.1770-4
// and EBU R128 define them: integrated loudness in LUFS (K-weighted, gated
// 400 ms blocks every 100 ms, absolute gate -70 LUFS, relative gate -10 LU),
// true peak in dBTP (4x oversampled) and sample peak in dBFS.
//
// A [Meter] takes samples as they stream by, in beep's layout, at any sample
// rate: the K-weighting filters are derived for the rate from the analogue
// prototype. [Measure] runs a whole streamer through one.
//
// Memory: the filters and the peak detector use a fixed few hundred bytes;
// the gating needs every block's energy until the end, 8 bytes per 100 ms
// (about 290 KB an hour, 1.2 MB for four hours).
//
// Mono and stereo only, both channels weighted 1.0 as BS.1770 says; a mono
// programme is measured as one channel (ffmpeg's default, not "dual mono").
package loudness
