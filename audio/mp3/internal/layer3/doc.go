// Package layer3 is the MPEG audio Layer III encoder core: the polyphase
// analysis filterbank, the MDCT, quantization and rate control, Huffman
// coding and frame assembly with the bit reservoir, written from ISO/IEC
// 11172-3 and 13818-3. It knows nothing of Info tags or sample layouts; the
// mp3 package wraps it.
package layer3
