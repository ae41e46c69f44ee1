package cvm

import (
	"encoding/binary"
	"errors"
	"math"
	"slices"

	"github.com/zeebo/xxh3"
)

// The serialized form of a Counter, version 1 (docs/cvm-format.md), all
// integers little-endian:
//
//	offset  size  field
//	0       4     magic "GKCV"
//	4       1     version, 1
//	5       1     flags, 0
//	6       1     exponent k, 0..64
//	7       1     reserved, 0
//	8       4     threshold (even, 2..MaxThreshold)
//	12      4     n, the number of keys (< threshold)
//	16      8     seed
//	24      8     epsilon (float64, informational)
//	32      8     delta (float64, informational)
//	40      8n    the keys, strictly increasing, each of level >= k
//	40+8n   8     XXH3-64 (seed 0) of bytes 0 to 40+8n
const (
	formatMagic   = "GKCV"
	FormatVersion = 1
	headerSize    = 40
)

// EncodedSize returns the length of the serialized form of c.
func (c *Counter) EncodedSize() int { return headerSize + 8*c.Len() + 8 }

// AppendBinary appends the serialized form of c to dst, with epsilon and
// delta recorded for information. Equal states give equal bytes.
func (c *Counter) AppendBinary(dst []byte, epsilon, delta float64) []byte {
	start := len(dst)
	dst = append(dst, formatMagic...)
	dst = append(dst, FormatVersion, 0, byte(c.k), 0)
	dst = binary.LittleEndian.AppendUint32(dst, uint32(c.threshold))
	dst = binary.LittleEndian.AppendUint32(dst, uint32(c.Len()))
	dst = binary.LittleEndian.AppendUint64(dst, c.seed)
	dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(epsilon))
	dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(delta))
	keys := c.Keys(make([]uint64, 0, c.Len()))
	slices.Sort(keys)
	for _, k := range keys {
		dst = binary.LittleEndian.AppendUint64(dst, k)
	}
	return binary.LittleEndian.AppendUint64(dst, xxh3.Hash(dst[start:]))
}

// Errors of Decode. Each wraps ErrCorrupt.
var (
	ErrCorrupt   = errors.New("cvm: not a valid serialized counter")
	ErrTruncated = corrupt("truncated or extended data")
	ErrMagic     = corrupt("bad magic")
	ErrVersion   = corrupt("unsupported format version")
	ErrChecksum  = corrupt("checksum mismatch")
	ErrContent   = corrupt("inconsistent content")
)

type corruptError string

func corrupt(s string) error           { return corruptError(s) }
func (e corruptError) Error() string   { return "cvm: " + string(e) }
func (e corruptError) Is(t error) bool { return t == ErrCorrupt }

// Decode returns the counter serialized in data by AppendBinary, with the
// recorded epsilon and delta. It returns an error wrapping ErrCorrupt for
// data that AppendBinary cannot have produced (bad length, magic, version,
// checksum or content), or ErrNoMemory.
func Decode(data []byte) (c *Counter, epsilon, delta float64, err error) {
	if len(data) < headerSize+8 {
		return nil, 0, 0, ErrTruncated
	}
	if string(data[:4]) != formatMagic {
		return nil, 0, 0, ErrMagic
	}
	if data[4] != FormatVersion {
		return nil, 0, 0, ErrVersion
	}
	le := binary.LittleEndian
	threshold, n := int(le.Uint32(data[8:])), int(le.Uint32(data[12:]))
	if len(data) != headerSize+8*n+8 {
		return nil, 0, 0, ErrTruncated
	}
	body := data[:len(data)-8]
	if xxh3.Hash(body) != le.Uint64(data[len(body):]) {
		return nil, 0, 0, ErrChecksum
	}
	k := int(data[6])
	if data[5] != 0 || data[7] != 0 || k > 64 || threshold < 2 || threshold > MaxThreshold || threshold%2 != 0 || n >= threshold {
		return nil, 0, 0, ErrContent
	}
	epsilon, delta = math.Float64frombits(le.Uint64(data[24:])), math.Float64frombits(le.Uint64(data[32:]))
	c = New(threshold, le.Uint64(data[16:]))
	c.k = k
	defer func() {
		if r := recover(); r != nil {
			if r != ErrNoMemory {
				panic(r)
			}
			c, err = nil, ErrNoMemory
		}
	}()
	c.t.resize(slotsFor(n))
	prev := uint64(0)
	for i := range n {
		key := le.Uint64(body[headerSize+8*i:])
		if (i > 0 && key <= prev) || level(key) < k {
			c.Reset()
			return nil, 0, 0, ErrContent
		}
		c.t.insert(key)
		prev = key
	}
	return c, epsilon, delta, nil
}
