package lzstring

// The golden files in testdata come from the JavaScript reference. To make
// them again (needs node and, once, `npm install` in tools/lzref):
//
//	go generate ./kernels/lzstring
//
//go:generate node ../../tools/lzref/gen_golden.js testdata
