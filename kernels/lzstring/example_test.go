package lzstring_test

import (
	"errors"
	"fmt"
	"unicode/utf16"

	"github.com/gokernels/gokernels/kernels/lzstring"
)

func ExampleCompressBase64() {
	fmt.Println(string(lzstring.CompressBase64(nil, []byte("hello, hello, hello"))))
	fmt.Println(string(lzstring.CompressBase64(nil, []byte(""))))
	// Output:
	// BYUwNmD2A0AEoRvcUg==
	// Q===
}

func ExampleDecompressBase64() {
	s, err := lzstring.DecompressBase64(nil, []byte("BYUwNmD2A0AEoRvcUg=="), 1<<20)
	fmt.Printf("%q %v\n", string(utf16.Decode(s)), err)

	// Like the reference, a stream cut short decodes to "", and no input
	// at all is an error (the reference's null).
	s, err = lzstring.DecompressBase64(nil, []byte("BYUwNmD2A0"), 1<<20)
	fmt.Printf("%q %v\n", string(utf16.Decode(s)), err)
	_, err = lzstring.DecompressBase64(nil, []byte(""), 1<<20)
	fmt.Println(err)

	// maxLength bounds the output.
	_, err = lzstring.DecompressBase64(nil, []byte("BYUwNmD2A0AEoRvcUg=="), 10)
	fmt.Println(errors.Is(err, lzstring.ErrTooLong))
	// Output:
	// "hello, hello, hello" <nil>
	// "" <nil>
	// lzstring: corrupt input
	// true
}

func ExampleCompressUTF16() {
	out := lzstring.CompressUTF16(nil, utf16.Encode([]rune("ünïcödé ünïcödé")))
	back, err := lzstring.DecompressUTF16(nil, out, -1)
	fmt.Println(len(out), string(utf16.Decode(back)), err)
	// Output:
	// 9 ünïcödé ünïcödé <nil>
}
