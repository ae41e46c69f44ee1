package arrow

import (
	"encoding/binary"

	"github.com/gokernels/gokernels/kernels/cvm"
	"math"
	"math/bits"
	"sync/atomic"

	"github.com/gokernels/gokernels/kernels/internal/pool"
)

// A Sink receives keys, block by block (cvm.Counter.AddKeys).
type Sink interface{ AddKeys(keys []uint64) }

// An ArraySink also takes whole numeric arrays (cvm.Counter.AddArray, whose
// keys are those of the equal Python numbers, as here, computed faster).
type ArraySink interface {
	Sink
	AddArray(kind cvm.ElemKind, data []byte)
}

// elemKinds maps the fixed-width kinds cvm.Counter.AddArray reads.
var elemKinds = map[Kind]cvm.ElemKind{
	Int8: cvm.Int8, Uint8: cvm.Uint8, Int16: cvm.Int16, Uint16: cvm.Uint16, Int32: cvm.Int32, Uint32: cvm.Uint32,
	Int64: cvm.Int64, Uint64: cvm.Uint64, Float32: cvm.Float32, Float64: cvm.Float64,
}

// block is the number of elements keyed between two AddKeys calls.
const block = 1024

// A ColumnSink also counts whole string and binary columns, keying each
// value as AddKeys would get it keyed here and testing its level in the same
// loop (cvm.Counter.AddOffsets and AddViews, which take physical indices and
// return the first bad one, or -1). The offsets and views may be misaligned.
type ColumnSink interface {
	Sink
	AddOffsets(offsets []byte, wide bool, data []byte, bytes bool, lo, hi int) int
	AddViews(views []byte, bufs [][]byte, bytes bool, lo, hi int) int
}

// A Scan counts one array, range by range, on one goroutine per sink. It
// keeps no reference to the array between calls (each call is given it
// again), only its own state: the dictionary entries seen so far.
type Scan struct {
	seed    uint64
	workers []worker
}

type worker struct {
	seed  uint64
	keys  [block]uint64
	valid [block / 64]uint64
	// used has a bit per dictionary entry referenced by a valid index.
	used []uint64
	// err is the error of the first bad piece this worker met in a
	// parallel Run, and errAt that piece's index.
	err   error
	errAt int64
}

// NewScan returns a Scan of a with the given number of workers (at least
// 1), keyed with seed. a must be the Array that every later call gets.
func NewScan(a *Array, seed uint64, workers int) *Scan {
	workers = max(workers, 1)
	s := &Scan{seed: seed, workers: make([]worker, workers)}
	for i := range s.workers {
		s.workers[i].seed = seed
		if a.Dictionary != nil {
			s.workers[i].used = make([]uint64, (a.Dictionary.Length+63)/64)
		}
	}
	return s
}

// Run adds the keys of the valid elements lo <= i < hi of a, splitting the
// range among the workers: worker w adds to sinks[w]. For a dictionary array
// Run only records which entries the indices use; Finish adds their keys.
// A panic in a sink (out of memory) is raised again in the caller's
// goroutine, after every worker has stopped.
func (s *Scan) Run(a *Array, lo, hi int64, sinks []Sink) error {
	if lo < 0 || hi > a.Length || lo > hi {
		return dataErr("Arrow range [%d, %d) outside an array of length %d", lo, hi, a.Length)
	}
	n := int64(len(s.workers))
	if n == 1 || hi-lo < n*block {
		return s.workers[0].scan(a, lo, hi, nil, sinks[0])
	}
	// The pieces go to the workers in order through the shared pool, so that
	// a worker slowed down (a busy machine, a core taken by another process)
	// costs the others at most a piece's time. The error returned is that of
	// the first bad piece, as in a serial scan: a piece after a bad one (or
	// one whose sink panicked) is skipped, a piece before it always runs.
	pieces := (hi - lo + piece - 1) / piece
	var stop atomic.Int64 // the first piece known bad
	stop.Store(pieces)
	for w := range s.workers {
		s.workers[w].err, s.workers[w].errAt = nil, pieces
	}
	pool.Run(int(pieces), int(min(n, pieces)), func(w, i int) {
		p := int64(i)
		if p > stop.Load() {
			return
		}
		wk := &s.workers[w]
		defer func() {
			if r := recover(); r != nil {
				lower(&stop, p)
				panic(r) // pool.Run raises it again in the caller
			}
		}()
		l := lo + p*piece
		if err := wk.scan(a, l, min(l+piece, hi), nil, sinks[w]); err != nil && p < wk.errAt {
			wk.err, wk.errAt = err, p
			lower(&stop, p)
		}
	})
	var first error
	at := pieces
	for w := range s.workers {
		wk := &s.workers[w]
		if wk.err != nil && wk.errAt < at {
			first, at = wk.err, wk.errAt
		}
		wk.err = nil
	}
	return first
}

// lower sets x to v if v is below it.
func lower(x *atomic.Int64, v int64) {
	for {
		old := x.Load()
		if v >= old || x.CompareAndSwap(old, v) {
			return
		}
	}
}

// piece is the number of rows a worker takes at a time (a variable so that
// tests can make many pieces of small arrays).
var piece int64 = 1 << 16

// Finish adds the keys of the dictionary entries that Run saw used (nothing
// for other arrays) to sink.
func (s *Scan) Finish(a *Array, sink Sink) error {
	if a.Dictionary == nil {
		return nil
	}
	w0 := &s.workers[0]
	for _, w := range s.workers[1:] {
		for i, u := range w.used {
			w0.used[i] |= u
		}
	}
	used := w0.used
	w0.used = nil // the dictionary's own scan must not record entries
	defer func() { w0.used = used }()
	d := a.Dictionary
	for i, u := range used {
		for u != 0 {
			// Runs of used entries are keyed as ranges.
			lo := int64(i*64) + int64(bits.TrailingZeros64(u))
			hi := lo
			for hi < d.Length && used[hi/64]>>(hi%64)&1 != 0 {
				hi++
			}
			if err := w0.scan(d, lo, hi, nil, sink); err != nil {
				return err
			}
			for j := lo; j < hi; j++ {
				used[j/64] &^= 1 << (j % 64)
			}
			u = used[i]
		}
	}
	return nil
}

// A mask is a parent struct's validity bitmap: element j of the child (in
// the child's logical positions) is valid only if bit off+j is set.
type mask struct {
	bits []byte
	off  int64
}

func bit(b []byte, i int64) bool { return b[i>>3]>>(i&7)&1 != 0 }

// scan keys the elements lo <= j < hi of a that are valid in a and in every
// mask.
func (w *worker) scan(a *Array, lo, hi int64, masks []mask, sink Sink) error {
	switch a.Kind {
	case Null:
		return nil
	case Struct:
		// The parent's offset applies to its child: child element
		// Offset+j holds parent element j; the masks move with it.
		child := make([]mask, 0, len(masks)+1)
		for _, m := range masks {
			child = append(child, mask{m.bits, m.off - a.Offset})
		}
		if a.Validity != nil {
			child = append(child, mask{a.Validity, 0})
		}
		return w.scan(a.Child, lo+a.Offset, hi+a.Offset, child, sink)
	}
	if as, ok := sink.(ArraySink); ok && a.Validity == nil && len(masks) == 0 && a.Dictionary == nil {
		if kind, ok := elemKinds[a.Kind]; ok {
			wd := a.Kind.width()
			as.AddArray(kind, a.Values[wd*(a.Offset+lo):wd*(a.Offset+hi)])
			return nil
		}
	}
	if cs, ok := sink.(ColumnSink); ok && len(masks) == 0 && a.Dictionary == nil && columnKind(a) {
		return w.scanColumn(cs, a, lo, hi)
	}
	for b := lo; b < hi; b += block {
		n := min(block, hi-b)
		var err error
		k := 0
		if w.fillValid(a, b, n, masks) {
			k, err = w.keysMasked(a, b, n)
		} else {
			k, err = w.keysAll(a, b, n)
		}
		if err != nil {
			return err
		}
		if k > 0 {
			sink.AddKeys(w.keys[:k])
		}
	}
	return nil
}

// fillValid sets w.valid bit i for the elements b+i (i < n) valid in a and
// every mask; it returns false, doing nothing, when all are valid.
func (w *worker) fillValid(a *Array, b, n int64, masks []mask) bool {
	if a.Validity == nil && len(masks) == 0 {
		return false
	}
	for i := range w.valid {
		w.valid[i] = 0
	}
	for i := int64(0); i < n; i++ {
		ok := a.Validity == nil || bit(a.Validity, a.Offset+b+i)
		for _, m := range masks {
			ok = ok && bit(m.bits, m.off+b+i)
		}
		if ok {
			w.valid[i/64] |= 1 << (i % 64)
		}
	}
	return true
}

// keysMasked keys the elements w.valid selects, compacting them: elements
// are keyed one by one through keyAt.
func (w *worker) keysMasked(a *Array, b, n int64) (int, error) {
	k := 0
	for i := int64(0); i < n; i++ {
		if w.valid[i/64]>>(i%64)&1 == 0 {
			continue
		}
		key, ok, err := w.keyAt(a, a.Offset+b+i)
		if err != nil {
			return 0, err
		}
		if ok {
			w.keys[k] = key
			k++
		}
	}
	return k, nil
}

// keyAt returns the key of physical element p of a, or ok false when the
// element adds nothing now (a dictionary index, recorded in w.used).
func (w *worker) keyAt(a *Array, p int64) (key uint64, ok bool, err error) {
	v := a.Values
	seed := w.seed
	if a.Dictionary != nil {
		var idx int64
		var wide uint64
		switch a.Kind {
		case Int8:
			idx = int64(int8(v[p]))
		case Uint8:
			idx = int64(v[p])
		case Int16:
			idx = int64(int16(binary.LittleEndian.Uint16(v[2*p:])))
		case Uint16:
			idx = int64(binary.LittleEndian.Uint16(v[2*p:]))
		case Int32:
			idx = int64(int32(binary.LittleEndian.Uint32(v[4*p:])))
		case Uint32:
			idx = int64(binary.LittleEndian.Uint32(v[4*p:]))
		case Int64:
			idx = int64(binary.LittleEndian.Uint64(v[8*p:]))
		case Uint64:
			wide = binary.LittleEndian.Uint64(v[8*p:])
			idx = int64(wide)
			if wide > math.MaxInt64 {
				idx = -1
			}
		}
		if idx < 0 || idx >= a.Dictionary.Length {
			return 0, false, dataErr("Arrow dictionary index %d out of range for a dictionary of %d values", idx, a.Dictionary.Length)
		}
		w.used[idx/64] |= 1 << (idx % 64)
		return 0, false, nil
	}
	switch a.Kind {
	case Bool:
		return keyInt64(seed, int64(v[p>>3]>>(p&7)&1)), true, nil
	case Int8:
		return keyInt64(seed, int64(int8(v[p]))), true, nil
	case Uint8:
		return keyInt64(seed, int64(v[p])), true, nil
	case Int16:
		return keyInt64(seed, int64(int16(binary.LittleEndian.Uint16(v[2*p:])))), true, nil
	case Uint16:
		return keyInt64(seed, int64(binary.LittleEndian.Uint16(v[2*p:]))), true, nil
	case Int32:
		return keyInt64(seed, int64(int32(binary.LittleEndian.Uint32(v[4*p:])))), true, nil
	case Uint32:
		return keyInt64(seed, int64(binary.LittleEndian.Uint32(v[4*p:]))), true, nil
	case Int64:
		return keyInt64(seed, int64(binary.LittleEndian.Uint64(v[8*p:]))), true, nil
	case Uint64:
		return keyUint64(seed, binary.LittleEndian.Uint64(v[8*p:])), true, nil
	case Float16:
		return keyFloat64(seed, half(binary.LittleEndian.Uint16(v[2*p:]))), true, nil
	case Float32:
		return keyFloat64(seed, float64(math.Float32frombits(binary.LittleEndian.Uint32(v[4*p:])))), true, nil
	case Float64:
		return keyFloat64(seed, math.Float64frombits(binary.LittleEndian.Uint64(v[8*p:]))), true, nil
	case String, Binary:
		s, e := int64(int32(binary.LittleEndian.Uint32(v[4*p:]))), int64(int32(binary.LittleEndian.Uint32(v[4*p+4:])))
		if s < 0 || s > e || e > int64(len(a.Data)) {
			return 0, false, dataErr("Arrow array of format %q: offsets %d, %d of element %d out of order or beyond the data (%d bytes)", a.Format, s, e, p, len(a.Data))
		}
		return bytesKey(a.Kind == String, seed, a.Data[s:e]), true, nil
	case LargeString, LargeBinary:
		s, e := int64(binary.LittleEndian.Uint64(v[8*p:])), int64(binary.LittleEndian.Uint64(v[8*p+8:]))
		if s < 0 || s > e || e > int64(len(a.Data)) {
			return 0, false, dataErr("Arrow array of format %q: offsets %d, %d of element %d out of order or beyond the data (%d bytes)", a.Format, s, e, p, len(a.Data))
		}
		return bytesKey(a.Kind == LargeString, seed, a.Data[s:e]), true, nil
	case StringView, BinaryView:
		b, err := viewBytes(a, v[16*p:16*p+16], p)
		if err != nil {
			return 0, false, err
		}
		return bytesKey(a.Kind == StringView, seed, b), true, nil
	}
	return 0, false, &UnsupportedError{"unsupported Arrow format " + quote(a.Format)}
}

func bytesKey(str bool, seed uint64, b []byte) uint64 {
	if str {
		return keyString(seed, b)
	}
	return keyBytes(seed, b)
}

// viewBytes returns the bytes of a 16-byte view: length, then the inline
// bytes (length <= 12), or a 4-byte prefix, a buffer index and an offset.
func viewBytes(a *Array, view []byte, p int64) ([]byte, error) {
	n := int64(int32(binary.LittleEndian.Uint32(view)))
	if n <= 12 {
		if n < 0 {
			return nil, dataErr("Arrow array of format %q: view %d has negative length %d", a.Format, p, n)
		}
		return view[4 : 4+n], nil
	}
	buf := int64(int32(binary.LittleEndian.Uint32(view[8:])))
	off := int64(int32(binary.LittleEndian.Uint32(view[12:])))
	if buf < 0 || buf >= int64(len(a.Variadic)) || off < 0 || off+n > int64(len(a.Variadic[buf])) {
		return nil, dataErr("Arrow array of format %q: view %d (buffer %d, offset %d, length %d) is outside its data buffers", a.Format, p, buf, off, n)
	}
	return a.Variadic[buf][off : off+n], nil
}

// keysAll keys the n elements from b when all are valid. The common kinds
// have loops of their own; the rest go through keyAt.
func (w *worker) keysAll(a *Array, b, n int64) (int, error) {
	p0 := a.Offset + b
	keys := w.keys[:n]
	seed := w.seed
	v := a.Values
	if a.Dictionary == nil {
		switch a.Kind {
		case Int64:
			v = v[8*p0 : 8*(p0+n)]
			for i := range keys {
				keys[i] = keyInt64(seed, int64(binary.LittleEndian.Uint64(v[8*i:])))
			}
			return len(keys), nil
		case Float64:
			v = v[8*p0 : 8*(p0+n)]
			for i := range keys {
				keys[i] = keyFloat64(seed, math.Float64frombits(binary.LittleEndian.Uint64(v[8*i:])))
			}
			return len(keys), nil
		case Int32:
			v = v[4*p0 : 4*(p0+n)]
			for i := range keys {
				keys[i] = keyInt64(seed, int64(int32(binary.LittleEndian.Uint32(v[4*i:]))))
			}
			return len(keys), nil
		case String, Binary:
			offs := v[4*p0 : 4*(p0+n+1)]
			data := a.Data
			str := a.Kind == String
			s := int64(int32(binary.LittleEndian.Uint32(offs)))
			for i := range keys {
				e := int64(int32(binary.LittleEndian.Uint32(offs[4*i+4:])))
				if s < 0 || s > e || e > int64(len(data)) {
					return 0, dataErr("Arrow array of format %q: offsets %d, %d of element %d out of order or beyond the data (%d bytes)", a.Format, s, e, p0+int64(i), len(data))
				}
				keys[i] = bytesKey(str, seed, data[s:e])
				s = e
			}
			return len(keys), nil
		case LargeString, LargeBinary:
			offs := v[8*p0 : 8*(p0+n+1)]
			data := a.Data
			str := a.Kind == LargeString
			s := int64(binary.LittleEndian.Uint64(offs))
			for i := range keys {
				e := int64(binary.LittleEndian.Uint64(offs[8*i+8:]))
				if s < 0 || s > e || e > int64(len(data)) {
					return 0, dataErr("Arrow array of format %q: offsets %d, %d of element %d out of order or beyond the data (%d bytes)", a.Format, s, e, p0+int64(i), len(data))
				}
				keys[i] = bytesKey(str, seed, data[s:e])
				s = e
			}
			return len(keys), nil
		case StringView, BinaryView:
			views := v[16*p0 : 16*(p0+n)]
			str := a.Kind == StringView
			for i := range keys {
				bs, err := viewBytes(a, views[16*i:16*i+16], p0+int64(i))
				if err != nil {
					return 0, err
				}
				keys[i] = bytesKey(str, seed, bs)
			}
			return len(keys), nil
		}
	}
	k := 0
	for i := int64(0); i < n; i++ {
		key, ok, err := w.keyAt(a, p0+i)
		if err != nil {
			return 0, err
		}
		if ok {
			w.keys[k] = key
			k++
		}
	}
	return k, nil
}

// half converts an IEEE 754 binary16 value to float64 (exactly).
func half(h uint16) float64 {
	sign := 1.0
	if h&0x8000 != 0 {
		sign = -1
	}
	exp := int(h>>10) & 0x1f
	frac := float64(h & 0x3ff)
	switch exp {
	case 0:
		return sign * math.Ldexp(frac, -24)
	case 0x1f:
		if frac != 0 {
			return math.NaN()
		}
		return sign * math.Inf(1)
	}
	return sign * math.Ldexp(1024+frac, exp-25)
}

// columnKind reports whether a is a string or binary array, which a
// ColumnSink reads.
func columnKind(a *Array) bool {
	switch a.Kind {
	case String, Binary, LargeString, LargeBinary, StringView, BinaryView:
		return true
	}
	return false
}

// scanColumn adds the valid elements lo <= j < hi of the string or binary
// array a to sink: the whole range at once when a has no validity bitmap,
// else each run of valid elements.
func (w *worker) scanColumn(sink ColumnSink, a *Array, lo, hi int64) error {
	p, end := a.Offset+lo, a.Offset+hi // physical positions
	if a.Validity == nil {
		return w.columnRange(sink, a, p, end)
	}
	v := a.Validity
	for p < end {
		for p < end && !bit(v, p) {
			if p&7 == 0 && end-p >= 8 && v[p>>3] == 0 {
				p += 8
			} else {
				p++
			}
		}
		q := p
		for q < end && bit(v, q) {
			if q&7 == 0 && end-q >= 8 && v[q>>3] == 0xff {
				q += 8
			} else {
				q++
			}
		}
		if q > p {
			if err := w.columnRange(sink, a, p, q); err != nil {
				return err
			}
		}
		p = q
	}
	return nil
}

// columnRange adds the physical elements p <= j < q of a, all valid.
func (w *worker) columnRange(sink ColumnSink, a *Array, p, q int64) error {
	// Offsets and views need not be aligned (the C data interface
	// recommends aligned buffers but does not require them, and distributed
	// rebuilds buffers at any byte offset of its messages): the sink reads
	// them byte-wise.
	bad := columnAdd(sink, a, p, q)
	if bad < 0 {
		return nil
	}
	// keyAt describes what is wrong with the element.
	if _, _, err := w.keyAt(a, bad); err != nil {
		return err
	}
	return dataErr("Arrow array of format %q: element %d is malformed", a.Format, bad)
}

// columnAdd adds the elements p <= j < q of a to sink, which returns the
// first bad one, or -1.
func columnAdd(sink ColumnSink, a *Array, p, q int64) int64 {
	switch a.Kind {
	case String, Binary:
		return int64(sink.AddOffsets(a.Values, false, a.Data, a.Kind == Binary, int(p), int(q)))
	case LargeString, LargeBinary:
		return int64(sink.AddOffsets(a.Values, true, a.Data, a.Kind == LargeBinary, int(p), int(q)))
	}
	return int64(sink.AddViews(a.Values, a.Variadic, a.Kind == BinaryView, int(p), int(q)))
}
