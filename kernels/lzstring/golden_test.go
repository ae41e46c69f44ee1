package lzstring

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

// The golden files are written by tools/lzref/gen_golden.js from the
// JavaScript reference; see that file for their format, and gen.go for how to
// regenerate them.

// jsonUnits decodes a JSON string literal to UTF-16 code units. It exists
// because encoding/json turns lone surrogate escapes (\ud800) into U+FFFD,
// and the golden files are full of them.
func jsonUnits(raw []byte) ([]uint16, error) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return nil, fmt.Errorf("not a JSON string: %.40s", raw)
	}
	s := raw[1 : len(raw)-1]
	out := make([]uint16, 0, len(s))
	for i := 0; i < len(s); {
		switch b := s[i]; {
		case b == '\\':
			if i+1 >= len(s) {
				return nil, errors.New("bad escape")
			}
			e := s[i+1]
			i += 2
			switch e {
			case '"', '\\', '/':
				out = append(out, uint16(e))
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'u':
				if i+4 > len(s) {
					return nil, errors.New("short \\u escape")
				}
				v, err := strconv.ParseUint(string(s[i:i+4]), 16, 16)
				if err != nil {
					return nil, err
				}
				out = append(out, uint16(v))
				i += 4
			default:
				return nil, fmt.Errorf("bad escape \\%c", e)
			}
		case b < utf8.RuneSelf:
			out = append(out, uint16(b))
			i++
		default:
			r, n := utf8.DecodeRune(s[i:])
			if r == utf8.RuneError && n == 1 {
				return nil, errors.New("invalid UTF-8")
			}
			out = utf16.AppendRune(out, r)
			i += n
		}
	}
	return out, nil
}

type goldenLine map[string]json.RawMessage

func readGolden(t testing.TB, name string) []goldenLine {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []goldenLine
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<22)
	for sc.Scan() {
		var l goldenLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("%s:%d: %v", name, len(lines)+1, err)
		}
		lines = append(lines, l)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

func (l goldenLine) name() string {
	var s string
	json.Unmarshal(l["name"], &s)
	return s
}

func (l goldenLine) units(t *testing.T, key string) []uint16 {
	t.Helper()
	u, err := jsonUnits(l[key])
	if err != nil {
		t.Fatalf("%s: %s: %v", l.name(), key, err)
	}
	return u
}

// input expands a compression case's input: a string, {"range": [lo, hi]} or
// {"repeat": s, "count": n}.
func (l goldenLine) input(t *testing.T) []uint16 {
	raw := l["input"]
	if raw[0] == '"' {
		return l.units(t, "input")
	}
	var spec struct {
		Range  []int           `json:"range"`
		Repeat json.RawMessage `json:"repeat"`
		Count  int             `json:"count"`
	}
	if err := json.Unmarshal(raw, &spec); err != nil {
		t.Fatal(err)
	}
	if spec.Range != nil {
		var u []uint16
		for i := spec.Range[0]; i < spec.Range[1]; i++ {
			u = append(u, uint16(i))
		}
		return u
	}
	unit, err := jsonUnits(spec.Repeat)
	if err != nil {
		t.Fatal(err)
	}
	var u []uint16
	for range spec.Count {
		u = append(u, unit...)
	}
	return u
}

// bigOutput is how the golden files record an output too long to keep.
type bigOutput struct {
	Len    int    `json:"len"`
	SHA256 string `json:"sha256"`
}

func unitBytes(u []uint16) []byte {
	b := make([]byte, 2*len(u))
	for i, x := range u {
		binary.BigEndian.PutUint16(b[2*i:], x)
	}
	return b
}

// checkUnits compares got with the expected output at key: a string, or a
// length and hash.
func (l goldenLine) checkUnits(t *testing.T, what, key string, got []uint16) {
	t.Helper()
	raw := l[key]
	if raw[0] == '"' {
		if want := l.units(t, key); !slices.Equal(got, want) {
			t.Errorf("%s: %s:\n got %s\nwant %s", l.name(), what, show(got), show(want))
		}
		return
	}
	l.checkHash(t, what, raw, len(got), unitBytes(got))
}

func (l goldenLine) checkHash(t *testing.T, what string, raw json.RawMessage, n int, b []byte) {
	t.Helper()
	var big bigOutput
	if err := json.Unmarshal(raw, &big); err != nil {
		t.Fatalf("%s: %s: %v", l.name(), what, err)
	}
	sum := sha256.Sum256(b)
	if n != big.Len || hex.EncodeToString(sum[:]) != big.SHA256 {
		t.Errorf("%s: %s: got %d units with sha256 %x, want %d units with %s", l.name(), what, n, sum, big.Len, big.SHA256)
	}
}

// show abbreviates a unit sequence for failure messages.
func show(u []uint16) string {
	const max = 120
	s := fmt.Sprintf("%q", string(utf16.Decode(u)))
	if len(u) > max {
		s = fmt.Sprintf("%q... (%d units)", string(utf16.Decode(u[:max])), len(u))
	}
	return s
}

func asBytes(s []byte) []uint16 {
	u := make([]uint16, len(s))
	for i, b := range s {
		u[i] = uint16(b)
	}
	return u
}

// latin1 returns u as bytes if every unit fits in one.
func latin1(u []uint16) ([]byte, bool) {
	b := make([]byte, len(u))
	for i, x := range u {
		if x > 0xff {
			return nil, false
		}
		b[i] = byte(x)
	}
	return b, true
}

func TestGoldenCompress(t *testing.T) {
	lines := readGolden(t, "compress.jsonl")
	if len(lines) < 100 {
		t.Fatalf("only %d golden cases", len(lines))
	}
	for _, l := range lines {
		in := l.input(t)
		checkCompress(t, l, in)
		if b, ok := latin1(in); ok {
			checkCompress(t, l, b)
		}
		// Every compressed form decompresses to the input.
		raw := Compress(nil, in)
		for what, f := range map[string]func() ([]uint16, error){
			"Decompress":          func() ([]uint16, error) { return Decompress(nil, raw, len(in)) },
			"DecompressUTF16":     func() ([]uint16, error) { return DecompressUTF16(nil, CompressUTF16(nil, in), len(in)) },
			"DecompressBase64":    func() ([]uint16, error) { return DecompressBase64(nil, CompressBase64(nil, in), len(in)) },
			"DecompressURI":       func() ([]uint16, error) { return DecompressURI(nil, CompressURI(nil, in), -1) },
			"DecompressUint8Arr":  func() ([]uint16, error) { return DecompressUint8Array(nil, CompressUint8Array(nil, in), -1) },
			"Decompress into dst": func() ([]uint16, error) { return decompressInto(raw, len(in)) },
		} {
			got, err := f()
			if err != nil || !slices.Equal(got, in) {
				t.Errorf("%s: %s: got %s, %v; want the input %s", l.name(), what, show(got), err, show(in))
			}
		}
		if len(in) > 0 {
			if _, err := Decompress(nil, raw, len(in)-1); err != ErrTooLong {
				t.Errorf("%s: Decompress with maxLength one short: %v, want ErrTooLong", l.name(), err)
			}
		}
	}
}

// decompressInto decompresses after a prefix in dst, which must survive.
func decompressInto(src []uint16, maxLength int) ([]uint16, error) {
	prefix := []uint16{1, 2, 3}
	got, err := Decompress(slices.Clone(prefix), src, maxLength)
	if !slices.Equal(got[:3], prefix) {
		return nil, errors.New("prefix lost")
	}
	return got[3:], err
}

func checkCompress[T Unit](t *testing.T, l goldenLine, in []T) {
	t.Helper()
	kind := fmt.Sprintf("[%T]", in[:0:0])
	l.checkUnits(t, "Compress"+kind, "compress", Compress(nil, in))
	l.checkUnits(t, "CompressUTF16"+kind, "compressToUTF16", CompressUTF16(nil, in))
	l.checkUnits(t, "CompressBase64"+kind, "compressToBase64", asBytes(CompressBase64(nil, in)))
	l.checkUnits(t, "CompressURI"+kind, "compressToEncodedURIComponent", asBytes(CompressURI(nil, in)))
	// Appending keeps what dst held.
	if got := CompressBase64([]byte("pre"), in); string(got[:3]) != "pre" || !slices.Equal(asBytes(got[3:]), asBytes(CompressBase64(nil, in))) {
		t.Errorf("%s: CompressBase64 with a dst prefix: %q", l.name(), got)
	}
	u8 := CompressUint8Array(nil, in)
	raw := l["compressToUint8Array"]
	if raw[0] == '"' {
		var h string
		json.Unmarshal(raw, &h)
		if got := hex.EncodeToString(u8); got != h {
			t.Errorf("%s: CompressUint8Array%s:\n got %s\nwant %s", l.name(), kind, got, h)
		}
	} else {
		l.checkHash(t, "CompressUint8Array"+kind, raw, len(u8), u8)
	}
}

// decompressRuns runs the decompressor of a golden format on the case's input
// as []uint16 and, where every unit fits, as []byte too.
func decompressRuns(t *testing.T, l goldenLine, format string, maxLength int) map[string]func() ([]uint16, error) {
	if format == "uint8array" {
		var h string
		json.Unmarshal(l["input"], &h)
		b, err := hex.DecodeString(h)
		if err != nil {
			t.Fatal(err)
		}
		return map[string]func() ([]uint16, error){
			"DecompressUint8Array": func() ([]uint16, error) { return DecompressUint8Array(nil, b, maxLength) },
		}
	}
	in := l.units(t, "input")
	runs := map[string]func() ([]uint16, error){}
	add := func(name string, f16 func([]uint16) ([]uint16, error), f8 func([]byte) ([]uint16, error)) {
		runs[name] = func() ([]uint16, error) { return f16(in) }
		if b, ok := latin1(in); ok && f8 != nil {
			runs[name+"[]byte"] = func() ([]uint16, error) { return f8(b) }
		}
	}
	switch format {
	case "raw":
		add("Decompress", func(s []uint16) ([]uint16, error) { return Decompress(nil, s, maxLength) }, nil)
	case "utf16":
		add("DecompressUTF16", func(s []uint16) ([]uint16, error) { return DecompressUTF16(nil, s, maxLength) },
			func(s []byte) ([]uint16, error) { return DecompressUTF16(nil, s, maxLength) })
	case "base64":
		add("DecompressBase64", func(s []uint16) ([]uint16, error) { return DecompressBase64(nil, s, maxLength) },
			func(s []byte) ([]uint16, error) { return DecompressBase64(nil, s, maxLength) })
	case "uri":
		add("DecompressURI", func(s []uint16) ([]uint16, error) { return DecompressURI(nil, s, maxLength) },
			func(s []byte) ([]uint16, error) { return DecompressURI(nil, s, maxLength) })
	default:
		t.Fatalf("%s: unknown format %q", l.name(), format)
	}
	return runs
}

func TestGoldenDecompress(t *testing.T) {
	lines := readGolden(t, "decompress.jsonl")
	if len(lines) < 100 {
		t.Fatalf("only %d golden cases", len(lines))
	}
	var kinds [4]int // string, null, thrown, first code 3
	for _, l := range lines {
		var format string
		json.Unmarshal(l["format"], &format)
		var firstCode *int
		if raw, ok := l["firstCode"]; ok {
			firstCode = new(int)
			json.Unmarshal(raw, firstCode)
		}
		_, threw := l["error"]
		isNull := bytes.Equal(l["result"], []byte("null"))
		wantErr := threw || isNull || firstCode != nil && *firstCode == 3
		switch {
		case firstCode != nil && *firstCode == 3:
			kinds[3]++
		case threw:
			kinds[2]++
		case isNull:
			kinds[1]++
		default:
			kinds[0]++
		}
		for what, run := range decompressRuns(t, l, format, -1) {
			got, err := run()
			if wantErr {
				if err != ErrCorrupt {
					t.Errorf("%s: %s: got %s, %v; want ErrCorrupt", l.name(), what, show(got), err)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s: %s: %v", l.name(), what, err)
				continue
			}
			l.checkUnits(t, what, "result", got)
		}
		if wantErr {
			continue
		}
		// maxLength bounds the answer, and only a string answer.
		n := resultLen(t, l)
		for what, run := range decompressRuns(t, l, format, n) {
			if got, err := run(); err != nil || len(got) != n {
				t.Errorf("%s: %s with maxLength %d: %d units, %v", l.name(), what, n, len(got), err)
			}
		}
		if n > 0 {
			for what, run := range decompressRuns(t, l, format, n-1) {
				if _, err := run(); err != ErrTooLong {
					t.Errorf("%s: %s with maxLength %d: %v, want ErrTooLong", l.name(), what, n-1, err)
				}
			}
		}
	}
	t.Logf("reference answers: %d strings, %d null, %d thrown, %d first code 3", kinds[0], kinds[1], kinds[2], kinds[3])
	for i, n := range kinds {
		if n == 0 {
			t.Errorf("no golden case of kind %d", i)
		}
	}
}

func resultLen(t *testing.T, l goldenLine) int {
	raw := l["result"]
	if raw[0] == '"' {
		return len(l.units(t, "result"))
	}
	var big bigOutput
	json.Unmarshal(raw, &big)
	return big.Len
}
