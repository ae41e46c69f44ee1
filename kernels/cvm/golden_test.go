package cvm

import (
	"math"
	"testing"
)

// The key of every kind of value, for each length class of XXH3 (0, 1-3,
// 4-8, 9-16, 17-128, 129-240, beyond) and each branch of the numeric keys,
// under several seeds, as computed before the keys got hash functions of
// their own (xxh3.go, with zeebo/xxh3 then behind every str and bytes key).
// Keys are part of the serialized format (docs/cvm-format.md): a sketch
// written by one version merges with those of the next, so these values must
// never change.

// goldenLens covers each length class and both sides of every boundary.
var goldenLens = []int{0, 1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 31, 32, 33, 64, 65, 96, 97, 127, 128, 129, 130,
	143, 144, 160, 239, 240, 241, 255, 256, 257, 1000, 1024, 1025, 4096}

// goldenBytes returns n bytes that differ at every position and length (so
// that a hash reading the wrong bytes or length gives another key).
func goldenBytes(n int) []byte {
	b := make([]byte, n)
	x := uint32(n)*2654435761 + 1
	for i := range b {
		x = x*1664525 + 1013904223
		b[i] = byte(x >> 24)
	}
	return b
}

var goldenInts = []int64{0, 1, -1, 2, 255, -128, 1 << 31, 1<<53 + 1, math.MaxInt64, math.MinInt64}

var goldenUints = []uint64{0, 7, math.MaxInt64, 1 << 63, 1<<63 + 1, 1<<63 + 1<<11, 1<<64 - 1<<11, 1<<64 - 1}

var goldenFloats = []float64{0, math.Copysign(0, -1), 0.5, -2.25, 1e300, math.Inf(1), math.Inf(-1), math.NaN(),
	float64(float32(0.1)), 1 << 63, -(1 << 63), 1 << 64, 4.5e15 + 0.5}

// keysDigest folds the str and bytes keys of every length 0..1100 under
// three seeds into one value (an order-sensitive mix, so any changed key
// changes it).
func keysDigest() uint64 {
	h := uint64(0)
	for _, s := range []uint64{0, DefaultSeed, testSeed} {
		for n := 0; n <= 1100; n++ {
			b := goldenBytes(n)
			h = mix(h ^ KeyString(s, b))
			h = mix(h ^ KeyBytes(s, b))
		}
	}
	return h
}

// goldenDigest is keysDigest() as computed by the keys before xxh3.go.
const goldenDigest = 0x498aa51e06aadaee

func TestKeysGoldenTable(t *testing.T) {
	for _, g := range []struct {
		seed       uint64
		n          int
		str, bytes uint64
	}{
		{0x0, 0, 0xb9ce9fdc59e00130, 0xaaf8316aa159c869},
		{0x0, 1, 0xc96b6415f6d362c6, 0x1c286d7c48491371},
		{0x0, 2, 0xf4e9a52dbdd7d718, 0xaa23b4427b708be9},
		{0x0, 3, 0x3d32fc609e6ebf00, 0x279dcbab5d23ac8d},
		{0x0, 4, 0x40db19033d6565b8, 0x6819c47b1a0e9549},
		{0x0, 5, 0xc2e6d3acb9c44e, 0x2dfd5302daaa0835},
		{0x0, 7, 0xd4188ed371626a7e, 0x44e519610652305},
		{0x0, 8, 0x1c84d93c135750e2, 0x9caaeccc6bee5ee9},
		{0x0, 9, 0xf454858bfa306ee4, 0x31ade70c07c30231},
		{0x0, 12, 0x7cfee212ad1555cc, 0xe85f198f5b58adcf},
		{0x0, 15, 0xc6734aeb0d72accc, 0x27645764573b3c9b},
		{0x0, 16, 0x20df39720e95fb88, 0xba4baf6841c301af},
		{0x0, 17, 0xf135dc35bec6a172, 0xe6fd9e2bab8a5215},
		{0x0, 31, 0xa835392ef5761f9e, 0x1b2e17574a8a0ee9},
		{0x0, 32, 0x2577023c609135c4, 0x2edaa52c68969401},
		{0x0, 33, 0x645617a36477e0b2, 0xd477c3d72b697ea9},
		{0x0, 64, 0x4b5dbddba5922ba, 0x4a9335fadfab24a1},
		{0x0, 65, 0xb73f5b68c0ba404e, 0xb115cef1e703aff5},
		{0x0, 96, 0x2d3551101f237138, 0xe44becd33f6320bf},
		{0x0, 97, 0xee87bb283f6afafa, 0x34016904f1952fc1},
		{0x0, 127, 0x1d325728130075d2, 0x519780504d58c1c3},
		{0x0, 128, 0xa45a885c5204dc5e, 0x7689caed1292f6bd},
		{0x0, 129, 0x88144aceffa4cbd8, 0x3f391944bfeca7ab},
		{0x0, 130, 0x17ab039e5b6cb0ee, 0x994a632310a76ced},
		{0x0, 143, 0xbd37accfeeb2cf88, 0x1e703a19f51a47bb},
		{0x0, 144, 0xacd7201dd6b7ffde, 0x2c5fa0887616ed47},
		{0x0, 160, 0x935515177feeabe6, 0xaff7681dade44e43},
		{0x0, 239, 0x47c0b8c8ab46d096, 0xf77bd3ce5d57804d},
		{0x0, 240, 0xb55d32fc374300f4, 0x9c68025365199d47},
		{0x0, 241, 0x46615dcb437bd4a6, 0x8c9719b0b22cc13b},
		{0x0, 255, 0x65ad6a70a3c86262, 0x7d09e36c1301f845},
		{0x0, 256, 0xadc584f94d97c9be, 0x2702767572b52211},
		{0x0, 257, 0x145645f4fb1d63c8, 0xb64957ce2ddb6a75},
		{0x0, 1000, 0x91eb82e5f4605d02, 0x23ceeac921b7ae99},
		{0x0, 1024, 0x571c10fdf26d5536, 0x3042a2a4a6f59d0b},
		{0x0, 1025, 0xe8479ace3b29bc88, 0x3d937456eaf41811},
		{0x0, 4096, 0x7dcb6e9ce2a6ccf2, 0x747de931a4118bb7},
		{0x1, 0, 0xb307c152762ea70a, 0x440229a26bb77219},
		{0x1, 1, 0xba7d686134a1663a, 0xb5d0e7591376071},
		{0x1, 2, 0xec96a6a2325c4b44, 0xef65551c65997f41},
		{0x1, 3, 0xac8927850ca9b1ac, 0xea7d11e55109def3},
		{0x1, 4, 0x892257ceee6671e4, 0x281b68484c29c793},
		{0x1, 5, 0x82d3d86c7c623abe, 0x61e933c19c3871f7},
		{0x1, 7, 0xdaf8ce450f9a35be, 0x558b2d1b79905931},
		{0x1, 8, 0xa29ed425c153821a, 0xc02d4485325084ff},
		{0x1, 9, 0x7769694f520d83e6, 0x170c4398a0ee5a69},
		{0x1, 12, 0xdad918c67130d280, 0x81d3d20ce9696f07},
		{0x1, 15, 0x74dcf7874c9bbdfc, 0x82b1f3f1e05affaf},
		{0x1, 16, 0xcb9bc18b985ebe34, 0x6833f3a394e474d9},
		{0x1, 17, 0x85a9dc8a5bd5924a, 0x1bc6bfbd6d2db1a3},
		{0x1, 31, 0x5107aad1de3d42c, 0x1286ce1a7644f925},
		{0x1, 32, 0xfdba324b57b5b5b8, 0xc2c7b9b9c84306b3},
		{0x1, 33, 0x9a7d61570bdcc13c, 0x957edecc60bbd11b},
		{0x1, 64, 0xf2e9c2079cc1ce82, 0xb1f2730d5b5453b3},
		{0x1, 65, 0xaef66a2b95148342, 0xd29d5cb5e27b8ce3},
		{0x1, 96, 0xad0fd22eee775814, 0x8859c89fa68399d},
		{0x1, 97, 0x165d1e5ba82ccc6a, 0x23e66fe03cea4e77},
		{0x1, 127, 0x852f0042258bf5fa, 0x50deeb6e3412ef59},
		{0x1, 128, 0xb88b108a71bed2e8, 0x7e74af49bd937a2b},
		{0x1, 129, 0x1e44900f71ab106c, 0x77e5d8e7eebc1231},
		{0x1, 130, 0xf72f643f62f6e1b4, 0x3fe2eed6c4976615},
		{0x1, 143, 0xc33e26daf3d874a6, 0x21273417f8161e81},
		{0x1, 144, 0x6f64fcd263bfceda, 0x9b7dd3637aafe7e9},
		{0x1, 160, 0x3351ff691ffd7a80, 0xc06123d8d66e5b53},
		{0x1, 239, 0x7701753a65358096, 0xfea3727cfdb827c7},
		{0x1, 240, 0x10e31707da24c824, 0xf9427015c03a7de9},
		{0x1, 241, 0x36100921951301fa, 0x26916a78ae4bc43d},
		{0x1, 255, 0xc17d3c4802aed5f6, 0x5bdfd50fe001fc1b},
		{0x1, 256, 0xe06dbc19b25ad8ba, 0xb26107b1a821b6ef},
		{0x1, 257, 0x1658abf2ab096ca8, 0xeb74e3f51ed5d1b5},
		{0x1, 1000, 0x6a3d78dddaa5b75e, 0x7df44c8a1d683f2d},
		{0x1, 1024, 0xc24c3d366f319846, 0x70694855725ad6d5},
		{0x1, 1025, 0xe62ee4e5537e1482, 0x1457fcbf15e9dd53},
		{0x1, 4096, 0xc08e6f9e4301b000, 0x230fbc7308083acb},
		{0x6a09e667f3bcc908, 0, 0xd425994f0a68a3f4, 0x7aa64b2204a6e6f3},
		{0x6a09e667f3bcc908, 1, 0x5ed06afa10a0a3a0, 0xaea33ebc6a470e91},
		{0x6a09e667f3bcc908, 2, 0xe7faba60f86a5e6c, 0x661033b6e5050705},
		{0x6a09e667f3bcc908, 3, 0x81276e5cf157e17e, 0xc2c3ae46df9edb3b},
		{0x6a09e667f3bcc908, 4, 0x79b9ad7b43efa6c8, 0xdbc2afbad2662b5d},
		{0x6a09e667f3bcc908, 5, 0x8062bd370e3e1814, 0xfcbf8ea180e5a175},
		{0x6a09e667f3bcc908, 7, 0x1c57e622d939a57c, 0xfd601532024ceebb},
		{0x6a09e667f3bcc908, 8, 0xa26b66f9b6309baa, 0x7e6fa205c92cb62d},
		{0x6a09e667f3bcc908, 9, 0x5ec1d9f59ab6714c, 0x5d8115558bde09dd},
		{0x6a09e667f3bcc908, 12, 0xd4b1aaddc57de042, 0xd504ca04e1f74879},
		{0x6a09e667f3bcc908, 15, 0xa580ffc77f497d9a, 0x63797c9d3aef8fe5},
		{0x6a09e667f3bcc908, 16, 0x366ea0b9e6dec6b4, 0xd9e9857aaf56d459},
		{0x6a09e667f3bcc908, 17, 0x4235715a0bb5e274, 0xeec7c87319c54123},
		{0x6a09e667f3bcc908, 31, 0x3e3107dc6aee0624, 0xc829a4244e13e60d},
		{0x6a09e667f3bcc908, 32, 0xafa98dfda1beb82, 0xa5fffe5c4256a6e7},
		{0x6a09e667f3bcc908, 33, 0x9a4702b405b1cff2, 0xd24f9d5e056a21ff},
		{0x6a09e667f3bcc908, 64, 0x84f67e2065e0de12, 0xce4cf92bddd6e3},
		{0x6a09e667f3bcc908, 65, 0xe70743beb0f92630, 0x3fcfceda31ee126b},
		{0x6a09e667f3bcc908, 96, 0x60cd254122be9978, 0x2fed58895b101cbd},
		{0x6a09e667f3bcc908, 97, 0x4351bcd01e44ec06, 0xebee093ceb12db09},
		{0x6a09e667f3bcc908, 127, 0xc998191a57dd890e, 0xfb68e9338eef83f1},
		{0x6a09e667f3bcc908, 128, 0x38841f7446e4f81c, 0x93a383a85edf7463},
		{0x6a09e667f3bcc908, 129, 0x988307bba2ab15fe, 0x1ee554757e36141d},
		{0x6a09e667f3bcc908, 130, 0xaeea829539550974, 0x181a627920c9a56d},
		{0x6a09e667f3bcc908, 143, 0x579d765dc4622708, 0xcc6e20fbaf8836ab},
		{0x6a09e667f3bcc908, 144, 0x8b56f04e25add3a6, 0xeb61a04b226a9a07},
		{0x6a09e667f3bcc908, 160, 0x2e1e8b2f7c57036a, 0x42bcc94c49da5069},
		{0x6a09e667f3bcc908, 239, 0x445eb18ad4c5a6ba, 0x711ba4cea138605b},
		{0x6a09e667f3bcc908, 240, 0xe8c1c42f6612efcc, 0xd780d62fdcb350d5},
		{0x6a09e667f3bcc908, 241, 0xacc872fba9d4007a, 0x5e824dde160902ef},
		{0x6a09e667f3bcc908, 255, 0x54f82892f368287e, 0xe9090b4f8424cc3d},
		{0x6a09e667f3bcc908, 256, 0xd0ba3021d46e863e, 0x972ad91eb7c8c667},
		{0x6a09e667f3bcc908, 257, 0xe9b9ceee5330ffca, 0x41b2ba1e04efc71},
		{0x6a09e667f3bcc908, 1000, 0x5a1f56f5ad61fd32, 0x535f057bfed18ea9},
		{0x6a09e667f3bcc908, 1024, 0xfbbeb30b858be1ea, 0xa86caca3f598d6c7},
		{0x6a09e667f3bcc908, 1025, 0xe46c02b859120cae, 0x106ba971eaee06ff},
		{0x6a09e667f3bcc908, 4096, 0x2b9765daf6316b0c, 0x437b392a1767fb39},
		{0x123456789abcdef0, 0, 0x9ac7a46fdd8c90f4, 0x638cfdfc3500cb15},
		{0x123456789abcdef0, 1, 0xdf4bb2e043acd4be, 0x204f90379f5d21df},
		{0x123456789abcdef0, 2, 0x954c4249204d29e, 0xa1f905032cd05bd},
		{0x123456789abcdef0, 3, 0x4909e3e1fdfec278, 0xe3ddfecf41940329},
		{0x123456789abcdef0, 4, 0x75e105b27b8c249e, 0xf1115bfbb8cfdda9},
		{0x123456789abcdef0, 5, 0x56642f3352e227f0, 0x2a05d41088de7aff},
		{0x123456789abcdef0, 7, 0x463957f5d515feee, 0x9b309f8e22c52487},
		{0x123456789abcdef0, 8, 0xa3e78a07e653fc12, 0xa0b6e037bc59e83d},
		{0x123456789abcdef0, 9, 0x9139669233b869aa, 0xb0d26995fc4ccae5},
		{0x123456789abcdef0, 12, 0x9f022d69e821f090, 0x7904dbf52bc5a761},
		{0x123456789abcdef0, 15, 0xe521fe1a40f16b2, 0xdbf765091d249251},
		{0x123456789abcdef0, 16, 0x31d7a2790c570830, 0xa405350cb283e63d},
		{0x123456789abcdef0, 17, 0xdd5d01e925da5300, 0x3c5a87acea8f7a63},
		{0x123456789abcdef0, 31, 0x7c869fa36f359ff8, 0x4b76dcf7f925bc8b},
		{0x123456789abcdef0, 32, 0x5fd08aa63a1c201e, 0xd162ffa87884931d},
		{0x123456789abcdef0, 33, 0xfa137587ee74b2f0, 0x22bb117cf6631527},
		{0x123456789abcdef0, 64, 0xd49759c4a725ebac, 0xea3c02e6cab3363f},
		{0x123456789abcdef0, 65, 0x16ba51d7a9317642, 0x48eaeb763a53dd3f},
		{0x123456789abcdef0, 96, 0xebcb55cda157a934, 0x8da007e1ac00e55f},
		{0x123456789abcdef0, 97, 0xf1ce032f4851bbb8, 0x4d5748f898535df1},
		{0x123456789abcdef0, 127, 0x749930f4ea15ed50, 0xe116bd154d14200b},
		{0x123456789abcdef0, 128, 0xb48613be67753044, 0x5b19f38517d63e83},
		{0x123456789abcdef0, 129, 0xd793253abe794dce, 0x5d76143b9d213a09},
		{0x123456789abcdef0, 130, 0x412945928549a4b0, 0x49a0ca73c26bc11},
		{0x123456789abcdef0, 143, 0x2e9d90a6a7218132, 0x51a06cd80cfeb259},
		{0x123456789abcdef0, 144, 0xb6f2c42d8abf8344, 0x71b0eedac572c9c7},
		{0x123456789abcdef0, 160, 0xbcf75f2aff8e1acc, 0x7425c747e4e18153},
		{0x123456789abcdef0, 239, 0x5e67b336cd6f9e80, 0x378f57ad636630bb},
		{0x123456789abcdef0, 240, 0xc9016a17e4bf3814, 0x92eea625eadb79c7},
		{0x123456789abcdef0, 241, 0xfdf9147c14d183a2, 0xfb8fa1a9b911a157},
		{0x123456789abcdef0, 255, 0xcc5a2b8494dabd10, 0x2b4e699dcd37dde9},
		{0x123456789abcdef0, 256, 0x5b7989b1da3724c6, 0x376eac951d5c5a53},
		{0x123456789abcdef0, 257, 0x12719d2291f70a10, 0xecb851289fb395b},
		{0x123456789abcdef0, 1000, 0x4e7dc2303dc78682, 0x9cface70298b1fcb},
		{0x123456789abcdef0, 1024, 0xe176ebb9a5b82806, 0xfa8f3f6963fdc733},
		{0x123456789abcdef0, 1025, 0xc1e14154a0888934, 0x43aa6a53057d6205},
		{0x123456789abcdef0, 4096, 0x5c1f03e68a41060e, 0x862133a6a1a66fbb},
	} {
		b := goldenBytes(g.n)
		if got := KeyString(g.seed, b); got != g.str {
			t.Errorf("KeyString(seed %#x, %d bytes) = %#x, want %#x", g.seed, g.n, got, g.str)
		}
		if got := KeyBytes(g.seed, b); got != g.bytes {
			t.Errorf("KeyBytes(seed %#x, %d bytes) = %#x, want %#x", g.seed, g.n, got, g.bytes)
		}
	}
	for _, g := range []struct {
		seed uint64
		v    int64
		key  uint64
	}{
		{0x0, 0, 0x86fa59fa943fe6f8},
		{0x0, 1, 0xfbca5f1ba4e20279},
		{0x0, -1, 0x6df8f8d77b172277},
		{0x0, 2, 0xb0b1a1f7cbef558},
		{0x0, 255, 0x28eac347c64618cd},
		{0x0, -128, 0xb780687109353c95},
		{0x0, 2147483648, 0x14aa14090009b807},
		{0x0, 9007199254740993, 0x1a70bd89e135befd},
		{0x0, 9223372036854775807, 0x219baeebbb70a94f},
		{0x0, -9223372036854775808, 0xe17b3748d6d1badd},
		{0x1, 0, 0x2ef899766ed5ff5},
		{0x1, 1, 0x3a9a0ac1eeeb9a97},
		{0x1, -1, 0x5ccc881432254d4a},
		{0x1, 2, 0xca2046894da049e},
		{0x1, 255, 0x75f141becd0bb0a7},
		{0x1, -128, 0x3f87779107b58366},
		{0x1, 2147483648, 0x2c99777bb5086ab2},
		{0x1, 9007199254740993, 0xdcabfd5f3f2abf35},
		{0x1, 9223372036854775807, 0x7560e9ecc1b2d77b},
		{0x1, -9223372036854775808, 0x73572b3e7624b4e6},
		{0x6a09e667f3bcc908, 0, 0xfd2e2696eab378f3},
		{0x6a09e667f3bcc908, 1, 0x19143dc9a9983cea},
		{0x6a09e667f3bcc908, -1, 0xfcacae6991f0faae},
		{0x6a09e667f3bcc908, 2, 0xbc1226f2b6a5ee3d},
		{0x6a09e667f3bcc908, 255, 0x6267123ac3c259f9},
		{0x6a09e667f3bcc908, -128, 0x8d5e0cf6885e1984},
		{0x6a09e667f3bcc908, 2147483648, 0xafe86059c99b11fe},
		{0x6a09e667f3bcc908, 9007199254740993, 0x4e5b2ec9f7fc1200},
		{0x6a09e667f3bcc908, 9223372036854775807, 0x4fe9296146c5837d},
		{0x6a09e667f3bcc908, -9223372036854775808, 0x615432bfa8be97e3},
		{0x123456789abcdef0, 0, 0xb0f97ce315b68682},
		{0x123456789abcdef0, 1, 0x7ea118609c105558},
		{0x123456789abcdef0, -1, 0xe4800cc97b0cc95c},
		{0x123456789abcdef0, 2, 0x9dbd5ceced089314},
		{0x123456789abcdef0, 255, 0x77227dfb62a8a07e},
		{0x123456789abcdef0, -128, 0xddc6209b1f420d81},
		{0x123456789abcdef0, 2147483648, 0x8a3143993afe92c9},
		{0x123456789abcdef0, 9007199254740993, 0x4c2311c35cb743e3},
		{0x123456789abcdef0, 9223372036854775807, 0xdec50fd93624163c},
		{0x123456789abcdef0, -9223372036854775808, 0x834b31c3d5243d03},
	} {
		if got := KeyInt64(g.seed, g.v); got != g.key {
			t.Errorf("KeyInt64(seed %#x, %d) = %#x, want %#x", g.seed, g.v, got, g.key)
		}
	}
	for _, g := range []struct {
		seed, v, key uint64
	}{
		{0x0, 0x0, 0x86fa59fa943fe6f8},
		{0x0, 0x7, 0xa3b7a054979903a0},
		{0x0, 0x7fffffffffffffff, 0x219baeebbb70a94f},
		{0x0, 0x8000000000000000, 0x47167e3d9d6bbd6f},
		{0x0, 0x8000000000000001, 0x9ca582d5379f4054},
		{0x0, 0x8000000000000800, 0x99ca086f3c1825e1},
		{0x0, 0xfffffffffffff800, 0xc5dbc984197d5068},
		{0x0, 0xffffffffffffffff, 0x8df8436deed19880},
		{0x1, 0x0, 0x2ef899766ed5ff5},
		{0x1, 0x7, 0xea7778e0114dde8e},
		{0x1, 0x7fffffffffffffff, 0x7560e9ecc1b2d77b},
		{0x1, 0x8000000000000000, 0x6baa24fc0941c798},
		{0x1, 0x8000000000000001, 0x3947f4015cf1a027},
		{0x1, 0x8000000000000800, 0xa5dfa4066f47b13b},
		{0x1, 0xfffffffffffff800, 0xebaae279cc530869},
		{0x1, 0xffffffffffffffff, 0x6c7bfcfd781775f7},
		{0x6a09e667f3bcc908, 0x0, 0xfd2e2696eab378f3},
		{0x6a09e667f3bcc908, 0x7, 0x3d1c04dc472a6323},
		{0x6a09e667f3bcc908, 0x7fffffffffffffff, 0x4fe9296146c5837d},
		{0x6a09e667f3bcc908, 0x8000000000000000, 0xf11c6f2df87b055f},
		{0x6a09e667f3bcc908, 0x8000000000000001, 0xb85a034527d0484e},
		{0x6a09e667f3bcc908, 0x8000000000000800, 0xc11957f7ed5d9acf},
		{0x6a09e667f3bcc908, 0xfffffffffffff800, 0x76e41d9726dc1726},
		{0x6a09e667f3bcc908, 0xffffffffffffffff, 0xad11363fd9b3335f},
		{0x123456789abcdef0, 0x0, 0xb0f97ce315b68682},
		{0x123456789abcdef0, 0x7, 0x16229d0ff9a5aba8},
		{0x123456789abcdef0, 0x7fffffffffffffff, 0xdec50fd93624163c},
		{0x123456789abcdef0, 0x8000000000000000, 0xd732fe5b54b61ed8},
		{0x123456789abcdef0, 0x8000000000000001, 0x3a967ae2db1d9314},
		{0x123456789abcdef0, 0x8000000000000800, 0x9230aaec9b89a196},
		{0x123456789abcdef0, 0xfffffffffffff800, 0x48af54a93e72a955},
		{0x123456789abcdef0, 0xffffffffffffffff, 0x668fe4f887fab7e5},
	} {
		if got := KeyUint64(g.seed, g.v); got != g.key {
			t.Errorf("KeyUint64(seed %#x, %d) = %#x, want %#x", g.seed, g.v, got, g.key)
		}
	}
	for _, g := range []struct {
		seed, bits, key uint64
	}{
		{0x0, 0x0, 0x86fa59fa943fe6f8},
		{0x0, 0x8000000000000000, 0x86fa59fa943fe6f8},
		{0x0, 0x3fe0000000000000, 0xfbc39b121b3acedc},
		{0x0, 0xc002000000000000, 0x13e36721571d8a2},
		{0x0, 0x7e37e43c8800759c, 0x3736b9cac105f63b},
		{0x0, 0x7ff0000000000000, 0x4d6a0a1dc89becaf},
		{0x0, 0xfff0000000000000, 0x23232d6e15f99909},
		{0x0, 0x7ff8000000000001, 0xbe432feef2c60e4f},
		{0x0, 0x3fb99999a0000000, 0xe096a9474d77a431},
		{0x0, 0x43e0000000000000, 0x47167e3d9d6bbd6f},
		{0x0, 0xc3e0000000000000, 0xe17b3748d6d1badd},
		{0x0, 0x43f0000000000000, 0xef827667f93f2003},
		{0x0, 0x432ff973cafa8001, 0x965f3c1986eefaf},
		{0x1, 0x0, 0x2ef899766ed5ff5},
		{0x1, 0x8000000000000000, 0x2ef899766ed5ff5},
		{0x1, 0x3fe0000000000000, 0x2679ea38d5e2d06a},
		{0x1, 0xc002000000000000, 0x8da93b08031ec2f7},
		{0x1, 0x7e37e43c8800759c, 0x6b343a03edad604a},
		{0x1, 0x7ff0000000000000, 0xfd96a0d704be850c},
		{0x1, 0xfff0000000000000, 0x706a924b2cde2076},
		{0x1, 0x7ff8000000000001, 0xfafd68946b5af688},
		{0x1, 0x3fb99999a0000000, 0x9bc9b05505db341b},
		{0x1, 0x43e0000000000000, 0x6baa24fc0941c798},
		{0x1, 0xc3e0000000000000, 0x73572b3e7624b4e6},
		{0x1, 0x43f0000000000000, 0x1c62d191ad76f1a4},
		{0x1, 0x432ff973cafa8001, 0x6cd9fc0ceaec4cca},
		{0x6a09e667f3bcc908, 0x0, 0xfd2e2696eab378f3},
		{0x6a09e667f3bcc908, 0x8000000000000000, 0xfd2e2696eab378f3},
		{0x6a09e667f3bcc908, 0x3fe0000000000000, 0xd007ad28e6bdfa33},
		{0x6a09e667f3bcc908, 0xc002000000000000, 0xd9f1daf87761d8c4},
		{0x6a09e667f3bcc908, 0x7e37e43c8800759c, 0xebeaab7f58a83498},
		{0x6a09e667f3bcc908, 0x7ff0000000000000, 0x8619ab6546f497d4},
		{0x6a09e667f3bcc908, 0xfff0000000000000, 0xa844d93f68b82a20},
		{0x6a09e667f3bcc908, 0x7ff8000000000001, 0x2f90c42a041d5a2a},
		{0x6a09e667f3bcc908, 0x3fb99999a0000000, 0xe1e06662981b342c},
		{0x6a09e667f3bcc908, 0x43e0000000000000, 0xf11c6f2df87b055f},
		{0x6a09e667f3bcc908, 0xc3e0000000000000, 0x615432bfa8be97e3},
		{0x6a09e667f3bcc908, 0x43f0000000000000, 0xed9328969190de4c},
		{0x6a09e667f3bcc908, 0x432ff973cafa8001, 0x2e48f5767205269},
		{0x123456789abcdef0, 0x0, 0xb0f97ce315b68682},
		{0x123456789abcdef0, 0x8000000000000000, 0xb0f97ce315b68682},
		{0x123456789abcdef0, 0x3fe0000000000000, 0x49c7d4ac05d9f796},
		{0x123456789abcdef0, 0xc002000000000000, 0x25408785b4497a29},
		{0x123456789abcdef0, 0x7e37e43c8800759c, 0x3b1e7f0e3114419c},
		{0x123456789abcdef0, 0x7ff0000000000000, 0x83ff8b93928d0ca3},
		{0x123456789abcdef0, 0xfff0000000000000, 0xb56c4e1a4002d9f0},
		{0x123456789abcdef0, 0x7ff8000000000001, 0x7d119eeae874a04b},
		{0x123456789abcdef0, 0x3fb99999a0000000, 0x9f50b7dacdc09b08},
		{0x123456789abcdef0, 0x43e0000000000000, 0xd732fe5b54b61ed8},
		{0x123456789abcdef0, 0xc3e0000000000000, 0x834b31c3d5243d03},
		{0x123456789abcdef0, 0x43f0000000000000, 0xf7ddeea1d5f45ac4},
		{0x123456789abcdef0, 0x432ff973cafa8001, 0x62296017070cf95d},
	} {
		if got := KeyFloat64(g.seed, math.Float64frombits(g.bits)); got != g.key {
			t.Errorf("KeyFloat64(seed %#x, %v) = %#x, want %#x", g.seed, math.Float64frombits(g.bits), got, g.key)
		}
	}
	if got := keysDigest(); got != goldenDigest {
		t.Errorf("the str and bytes keys of lengths 0..1100 changed: digest %#x, want %#x", got, goldenDigest)
	}
}
