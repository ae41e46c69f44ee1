package lzstring

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/gokernels/gokernels/kernels/internal/rng"
)

// TestLiveReference sends fresh random cases through tools/lzref/lzref.js, the
// JavaScript reference itself, when node and the reference are installed.
// It complements the golden files with inputs nobody chose.
func TestLiveReference(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode")
	}
	script := filepath.Join("..", "..", "tools", "lzref", "lzref.js")
	if _, err := os.Stat(filepath.Join("..", "..", "tools", "lzref", "node_modules", "lz-string")); err != nil {
		t.Skip("reference not installed (cd tools/lzref && npm install)")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not found")
	}

	r := rng.New(uint64(os.Getpid()))
	t.Logf("seed %d", os.Getpid())
	pickUnits := func(u []uint16, n int) []uint16 {
		s := make([]uint16, n)
		for i := range s {
			s[i] = u[r.Below(uint64(len(u)))]
		}
		return s
	}
	pick := func(chars string, n int) []uint16 { return pickUnits(utf16.Encode([]rune(chars)), n) }
	var inputs [][]uint16
	for i := range 150 {
		n := int(r.Below(300))
		switch i % 5 {
		case 0:
			inputs = append(inputs, pick("ab_proto ", n))
		case 1:
			inputs = append(inputs, pick("the quick brown fox jumps over the lazy dog. ", 4*n))
		default:
			s := make([]uint16, n)
			for j := range s {
				s[j] = uint16(r.Below(1 << (8 * (1 + r.Below(2)))))
				if r.Below(4) == 0 {
					s[j] = 0xd800 + uint16(r.Below(0x800))
				}
			}
			inputs = append(inputs, s)
		}
	}
	type decCase struct {
		format string
		input  []uint16
	}
	var decs []decCase
	b64 := base64Alphabet + " -$!"
	for range 200 {
		n := 1 + int(r.Below(40))
		decs = append(decs,
			decCase{"base64", pick(b64, n)},
			decCase{"uri", pick(b64, n)},
			decCase{"raw", pickUnits([]uint16{0, 0x4000, 0x8000, 0xc000, 0xffff, 0x1234, 0xd800, 'A', uint16(r.Below(1 << 16))}, n/2+1)},
			decCase{"utf16", pickUnits([]uint16{' ', '!', '"', '#', '$', 0, 0x10, 0x4000, 0x8000, 0xffff, 0x2020, 0xd800, uint16(r.Below(1 << 16))}, n/2+1)},
		)
	}

	// The request, as JSON with every unit escaped.
	var req bytes.Buffer
	req.WriteByte('[')
	for i, in := range inputs {
		if i > 0 {
			req.WriteByte(',')
		}
		writeJSONUnits(&req, in)
	}
	for _, d := range decs {
		fmt.Fprintf(&req, `,{"format":%q,"input":`, d.format)
		writeJSONUnits(&req, d.input)
		req.WriteByte('}')
	}
	req.WriteByte(']')

	cmd := exec.Command(node, script)
	cmd.Stdin = &req
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%v: %s", err, stderr.String())
	}
	var results []goldenLine
	if err := json.Unmarshal(out, &results); err != nil {
		t.Fatal(err)
	}
	if len(results) != len(inputs)+len(decs) {
		t.Fatalf("%d results for %d cases", len(results), len(inputs)+len(decs))
	}
	for i, in := range inputs {
		l := results[i]
		l["name"] = json.RawMessage(fmt.Sprintf(`"live-%d"`, i))
		l.checkUnits(t, "Compress", "compress", Compress(nil, in))
		l.checkUnits(t, "CompressUTF16", "compressToUTF16", CompressUTF16(nil, in))
		l.checkUnits(t, "CompressBase64", "compressToBase64", asBytes(CompressBase64(nil, in)))
		l.checkUnits(t, "CompressURI", "compressToEncodedURIComponent", asBytes(CompressURI(nil, in)))
		var nums []int
		json.Unmarshal(l["compressToUint8Array"], &nums)
		got := CompressUint8Array(nil, in)
		if len(got) != len(nums) {
			t.Errorf("live-%d: CompressUint8Array: %d bytes, want %d", i, len(got), len(nums))
		} else {
			for j := range nums {
				if int(got[j]) != nums[j] {
					t.Errorf("live-%d: CompressUint8Array differs at %d", i, j)
					break
				}
			}
		}
	}
	var firstThree, nulls int
	for i, d := range decs {
		l := results[len(inputs)+i]
		var got []uint16
		var err error
		switch d.format {
		case "base64":
			got, err = DecompressBase64(nil, d.input, -1)
		case "uri":
			got, err = DecompressURI(nil, d.input, -1)
		case "raw":
			got, err = Decompress(nil, d.input, -1)
		case "utf16":
			got, err = DecompressUTF16(nil, d.input, -1)
		}
		name := fmt.Sprintf("live %s %s", d.format, show(d.input))
		first3 := strings.TrimSpace(string(l["firstCode"])) == "3"
		_, threw := l["error"]
		isNull := string(l["result"]) == "null"
		if first3 {
			firstThree++
		}
		if isNull {
			nulls++
		}
		if first3 || threw || isNull {
			if err != ErrCorrupt {
				t.Errorf("%s: got %s, %v; want ErrCorrupt", name, show(got), err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		l["name"] = json.RawMessage(fmt.Sprintf("%q", name))
		l.checkUnits(t, d.format, "result", got)
	}
	t.Logf("%d compressions, %d decompressions (%d null, %d first code 3)", len(inputs), len(decs), nulls, firstThree)
}

// writeJSONUnits writes u as a JSON string, every unit escaped, so that lone
// surrogates survive.
func writeJSONUnits(b *bytes.Buffer, u []uint16) {
	b.WriteByte('"')
	for _, x := range u {
		fmt.Fprintf(b, `\u%04x`, x)
	}
	b.WriteByte('"')
}
