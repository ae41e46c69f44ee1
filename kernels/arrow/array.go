package arrow

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
)

// Kind is the physical type of an Array's values.
type Kind uint8

// The kinds this package reads, one per supported Arrow format string.
const (
	Null        Kind = iota + 1 // "n": every value is null
	Bool                        // "b"
	Int8                        // "c"
	Uint8                       // "C"
	Int16                       // "s"
	Uint16                      // "S"
	Int32                       // "i"
	Uint32                      // "I"
	Int64                       // "l"
	Uint64                      // "L"
	Float16                     // "e"
	Float32                     // "f"
	Float64                     // "g"
	String                      // "u"
	LargeString                 // "U"
	StringView                  // "vu"
	Binary                      // "z"
	LargeBinary                 // "Z"
	BinaryView                  // "vz"
	Struct                      // "+s", with exactly one child
)

var formats = map[string]Kind{
	"n": Null, "b": Bool, "c": Int8, "C": Uint8, "s": Int16, "S": Uint16, "i": Int32, "I": Uint32,
	"l": Int64, "L": Uint64, "e": Float16, "f": Float32, "g": Float64, "u": String, "U": LargeString,
	"vu": StringView, "z": Binary, "Z": LargeBinary, "vz": BinaryView, "+s": Struct,
}

// width is the byte width of a fixed-width kind's values, of the offsets of
// String and Binary kinds, and of the views of view kinds; 0 otherwise.
func (k Kind) width() int64 {
	switch k {
	case Int8, Uint8:
		return 1
	case Int16, Uint16, Float16:
		return 2
	case Int32, Uint32, Float32, String, Binary:
		return 4
	case Int64, Uint64, Float64, LargeString, LargeBinary:
		return 8
	case StringView, BinaryView:
		return 16
	}
	return 0
}

func (k Kind) isInt() bool { return k >= Int8 && k <= Uint64 }

// An UnsupportedError reports a column this package does not count: a format
// it does not read, or a struct without exactly one field. The extension
// raises it as TypeError.
type UnsupportedError struct{ Msg string }

func (e *UnsupportedError) Error() string { return e.Msg }

// A DataError reports a malformed array: buffers missing or too short,
// offsets out of order or out of bounds, bad view or dictionary indices. The
// extension raises it as ValueError.
type DataError struct{ Msg string }

func (e *DataError) Error() string { return e.Msg }

// quote quotes an Arrow format string as Python would: 'tsu:'.
func quote(f string) string {
	q := strconv.Quote(f)
	if !strings.ContainsAny(f, "'\\") {
		q = "'" + q[1:len(q)-1] + "'"
	}
	return q
}

func dataErr(format string, args ...any) error { return &DataError{fmt.Sprintf(format, args...)} }

// A Source is one node of an Arrow array as a producer describes it: the
// ArrowSchema and ArrowArray of the C data interface, or Go values in tests.
type Source interface {
	Format() string
	Length() int64
	Offset() int64
	NullCount() int64
	NumBuffers() int64
	// Buffer returns buffer i (0 <= i < NumBuffers) as size bytes, or nil
	// if its pointer is null. Import asks for each buffer once, with the
	// size the layout implies.
	Buffer(i int, size int64) []byte
	// NumChildren returns the schema's and the array's number of children.
	NumChildren() (schema, array int64)
	Child(i int) Source
	// Dictionary returns the dictionary node, and whether the schema and
	// the array each have one.
	Dictionary() (d Source, schema, array bool)
}

// An Array is an imported, size-checked Arrow array.
type Array struct {
	Kind      Kind
	Format    string
	Length    int64
	Offset    int64
	NullCount int64
	// Validity has a bit per element (Offset + i), or is nil when every
	// element is valid.
	Validity []byte
	// Values holds the fixed-width values (bits for Bool), the offsets of
	// String and Binary kinds, or the 16-byte views of view kinds.
	Values []byte
	// Data is the character data of String and Binary kinds.
	Data []byte
	// Variadic holds the data buffers of view kinds.
	Variadic [][]byte
	// Child is the one field of a Struct.
	Child *Array
	// Dictionary, when not nil, holds the values; Kind is then the integer
	// kind of the indices in Values.
	Dictionary *Array
}

// maxDepth bounds the nesting of structs and dictionaries Import follows.
const maxDepth = 16

// maxLen bounds lengths and offsets, so that byte sizes cannot overflow.
const maxLen = 1 << 40

// Import checks the node src and everything under it and returns it as an
// Array. It reads the buffer contents it needs to size other buffers (the
// last offset, the variadic buffer sizes) and nothing else.
func Import(src Source) (*Array, error) { return importNode(src, 0) }

func importNode(src Source, depth int) (*Array, error) {
	if depth > maxDepth {
		return nil, &UnsupportedError{fmt.Sprintf("Arrow arrays nested more than %d levels deep are not supported", maxDepth)}
	}
	f := src.Format()
	if f == "" {
		return nil, dataErr("Arrow array without a format string")
	}
	dict, schemaDict, arrayDict := src.Dictionary()
	if schemaDict != arrayDict {
		return nil, dataErr("Arrow array of format %q: the schema and the array disagree on having a dictionary", f)
	}
	kind, ok := formats[f]
	if !ok || (schemaDict && !kind.isInt()) {
		if schemaDict {
			return nil, &UnsupportedError{fmt.Sprintf("unsupported Arrow dictionary index format %s", quote(f))}
		}
		return nil, &UnsupportedError{fmt.Sprintf("unsupported Arrow format %s", quote(f))}
	}
	a := &Array{Kind: kind, Format: f, Length: src.Length(), Offset: src.Offset(), NullCount: src.NullCount()}
	if a.Length < 0 || a.Offset < 0 || a.Length > maxLen || a.Offset > maxLen {
		return nil, dataErr("Arrow array of format %q: bad length %d or offset %d", f, a.Length, a.Offset)
	}
	if a.NullCount < -1 || a.NullCount > a.Length {
		return nil, dataErr("Arrow array of format %q: null_count %d out of range for length %d", f, a.NullCount, a.Length)
	}
	end := a.Offset + a.Length // elements Offset+i, i < Length, are read
	nbuf := src.NumBuffers()
	want := int64(2)
	switch kind {
	case Null:
		want = 0
	case Struct:
		want = 1
	case String, LargeString, Binary, LargeBinary:
		want = 3
	case StringView, BinaryView:
		want = 3 // at least: validity, views, sizes of the variadic buffers
		if nbuf > want {
			want = nbuf
		}
	}
	if nbuf != want || nbuf > 1<<20 {
		return nil, dataErr("Arrow array of format %q has %d buffers, expected %d", f, nbuf, want)
	}
	sc, ac := src.NumChildren()
	if sc != ac {
		return nil, dataErr("Arrow array of format %q: the schema has %d children, the array %d", f, sc, ac)
	}
	if kind == Struct {
		if sc != 1 {
			return nil, &UnsupportedError{fmt.Sprintf(
				"an Arrow struct (format \"+s\") is counted only with exactly one field, this one has %d; pass one column", sc)}
		}
	} else if sc != 0 {
		return nil, dataErr("Arrow array of format %q has %d children, expected none", f, sc)
	}

	// Validity: ignored when the producer says there are no nulls.
	if kind != Null && a.NullCount != 0 && a.Length > 0 {
		a.Validity = src.Buffer(0, (end+7)/8)
		if a.Validity == nil && a.NullCount > 0 {
			return nil, dataErr("Arrow array of format %q has %d nulls but no validity buffer", f, a.NullCount)
		}
		if a.Validity != nil && int64(len(a.Validity)) < (end+7)/8 {
			return nil, dataErr("Arrow array of format %q: validity buffer too short", f)
		}
	}
	var err error
	switch kind {
	case Null:
		a.NullCount = a.Length
	case Struct:
		if a.Child, err = importNode(src.Child(0), depth+1); err != nil {
			return nil, err
		}
		if a.Child.Length < end {
			return nil, dataErr("Arrow struct: its field has %d elements, fewer than offset+length %d", a.Child.Length, end)
		}
	case Bool:
		if a.Values, err = need(src, f, 1, (end+7)/8, a.Length); err != nil {
			return nil, err
		}
	case StringView, BinaryView:
		if a.Values, err = need(src, f, 1, end*16, a.Length); err != nil {
			return nil, err
		}
		nvar := nbuf - 3
		sizes, err := need(src, f, int(nbuf-1), nvar*8, nvar)
		if err != nil {
			return nil, err
		}
		a.Variadic = make([][]byte, nvar)
		for i := range a.Variadic {
			n := int64(binary.LittleEndian.Uint64(sizes[8*i:]))
			if n < 0 || n > maxLen {
				return nil, dataErr("Arrow array of format %q: variadic buffer %d has bad size %d", f, i, n)
			}
			if a.Variadic[i], err = need(src, f, 2+i, n, n); err != nil {
				return nil, err
			}
		}
	case String, LargeString, Binary, LargeBinary:
		w := kind.width()
		if a.Values, err = need(src, f, 1, (end+1)*w, a.Length); err != nil {
			return nil, err
		}
		var n int64
		if a.Values != nil {
			if w == 4 {
				n = int64(int32(binary.LittleEndian.Uint32(a.Values[end*4:])))
			} else {
				n = int64(binary.LittleEndian.Uint64(a.Values[end*8:]))
			}
		}
		if n < 0 || n > maxLen {
			return nil, dataErr("Arrow array of format %q: bad last offset %d", f, n)
		}
		if a.Data, err = need(src, f, 2, n, n); err != nil {
			return nil, err
		}
	default: // fixed width
		if a.Values, err = need(src, f, 1, end*kind.width(), a.Length); err != nil {
			return nil, err
		}
	}
	if schemaDict {
		if a.Dictionary, err = importNode(dict, depth+1); err != nil {
			return nil, err
		}
		if a.Dictionary.Dictionary != nil || a.Dictionary.Kind == Struct {
			return nil, &UnsupportedError{"unsupported Arrow dictionary whose values are dictionary-encoded or structs"}
		}
	}
	return a, nil
}

// need returns buffer i of size bytes, which may be absent only when nothing
// would be read from it (n, the number of elements that use it, is 0).
func need(src Source, f string, i int, size, n int64) ([]byte, error) {
	b := src.Buffer(i, size)
	if b == nil {
		if n == 0 || size == 0 {
			return nil, nil
		}
		return nil, dataErr("Arrow array of format %q: buffer %d is missing", f, i)
	}
	if int64(len(b)) < size {
		return nil, dataErr("Arrow array of format %q: buffer %d has %d bytes, needs %d", f, i, len(b), size)
	}
	return b[:size], nil
}
