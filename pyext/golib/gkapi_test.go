package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
)

// The build checks each prototype of gkapi.h against its export (cgo writes
// both into _cgo_export.h: a mismatch is "conflicting types"). What the
// build cannot see is an export without a prototype, a prototype without an
// export, or either missing from GK_EXPORTS (the loader's list): this test
// checks that the three sets are the same.
func TestEveryExportIsDeclaredOnce(t *testing.T) {
	exportRE := regexp.MustCompile(`(?m)^//export (\w+)$`)
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var exports []string
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range exportRE.FindAllSubmatch(src, -1) {
			exports = append(exports, string(m[1]))
		}
	}
	header, err := os.ReadFile("gkapi.h")
	if err != nil {
		t.Fatal(err)
	}
	var protos, listed []string
	for _, m := range regexp.MustCompile(`(?m)^[a-z_0-9 ]+\**\s*\**(Gk\w+)\(`).FindAllSubmatch(header, -1) {
		protos = append(protos, string(m[1]))
	}
	for _, m := range regexp.MustCompile(`X\((Gk\w+)\)`).FindAllSubmatch(header, -1) {
		listed = append(listed, string(m[1]))
	}
	slices.Sort(exports)
	slices.Sort(protos)
	slices.Sort(listed)
	if len(exports) < 20 {
		t.Fatalf("found only %d exports: %v", len(exports), exports)
	}
	if !slices.Equal(exports, protos) {
		t.Errorf("//export names and gkapi.h prototypes differ:\nexports %v\nprototypes %v", exports, protos)
	}
	if !slices.Equal(exports, listed) {
		t.Errorf("//export names and GK_EXPORTS differ:\nexports %v\nGK_EXPORTS %v", exports, listed)
	}
}
