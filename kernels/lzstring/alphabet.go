package lzstring

import "math/bits"

// The reference's 65-character alphabets. The 65th character ("=" or "$") has
// value 64, whose bits all lie above the 6 the decoder reads, so it decodes as
// zero bits, as does any character outside the alphabet.
const (
	base64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="
	uriAlphabet    = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$"
)

// encode6 maps 6 bits as they lie in the LSB-first stream to the character
// that carries them MSB-first; decode6 is its inverse and maps every other
// byte to 0. Folding the bit reversal into the tables costs nothing per
// character.
type alphabet struct {
	encode6 [64]byte
	decode6 [256]byte
}

var base64Tables, uriTables = newAlphabet(base64Alphabet), newAlphabet(uriAlphabet)

func init() {
	// decompressFromEncodedURIComponent first replaces every " " by "+".
	uriTables.decode6[' '] = uriTables.decode6['+']
}

func newAlphabet(chars string) *alphabet {
	a := new(alphabet)
	for v := range 64 {
		r := reverse6(uint8(v))
		a.encode6[r] = chars[v]
		a.decode6[chars[v]] = r
	}
	return a
}

// reverse6 reverses the order of the low 6 bits of v.
func reverse6(v uint8) uint8 { return bits.Reverse8(v) >> 2 }
