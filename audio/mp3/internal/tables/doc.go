// Package tables holds the constant tables of MPEG audio Layer III that the
// encoder needs: Huffman code words, scalefactor band boundaries and the
// analysis window. tables.go is generated from go-mp3's source by gen.
package tables

//go:generate go run ./gen
