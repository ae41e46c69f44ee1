//go:build !amd64

package doubles

func count8(s []byte) int    { return count8SWAR(s) }
func count16(s []uint16) int { return count16SWAR(s) }
func count32(s []uint32) int { return count32SWAR(s) }
