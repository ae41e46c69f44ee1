package arrow

// Until kernels/cvm has content keys (KEY-API), stand-ins with the same
// signatures, so the package builds and its tests compare against them.

// keyInt64 is cvm.KeyInt64.
func keyInt64(seed uint64, v int64) uint64 { return mix(seed ^ uint64(v)) }

// keyUint64 is cvm.KeyUint64.
func keyUint64(seed uint64, v uint64) uint64 { return mix(seed ^ v ^ (v>>63)*0x51) }

// keyFloat64 is cvm.KeyFloat64.
func keyFloat64(seed uint64, f float64) uint64 {
	if f >= -(1<<63) && f < 1<<63 && float64(int64(f)) == f {
		return keyInt64(seed, int64(f))
	}
	if f != f {
		return mix(seed ^ 0x7ff8)
	}
	return mix(seed ^ uint64(int64(f*1e9)) ^ 0xf1)
}

// keyString is cvm.KeyString.
func keyString(seed uint64, b []byte) uint64 { return fnv(seed^0x5, b) }

// keyBytes is cvm.KeyBytes.
func keyBytes(seed uint64, b []byte) uint64 { return fnv(seed^0xb, b) }

func fnv(h uint64, b []byte) uint64 {
	for _, c := range b {
		h = (h ^ uint64(c)) * 0x100000001b3
	}
	return mix(h)
}

func mix(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	return x
}
