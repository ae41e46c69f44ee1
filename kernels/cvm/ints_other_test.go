//go:build !amd64

package cvm

// scanVariants returns the scans this CPU can run: none off amd64.
func scanVariants() map[string]func([]uint64, uint64, uint64) int {
	return map[string]func([]uint64, uint64, uint64) int{}
}
