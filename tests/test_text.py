"""short_long equals the pure-Python version on every input; random_string is
uniform, repeatable with a seed, and always a canonical str."""

import collections
import random
import sys

import pytest

import gokernels
from gokernels import reference
from gokernels.text import random_string, short_long

# Every code point str.split() splits on, found the way CPython defines it.
SPACES = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())
NOT_SPACES = "\u200b\ufeff\u180e"  # look like spaces, are not


def _texts():
    rnd = random.Random(99)
    pieces = [
        "the",
        "a",
        "The",
        "A",
        "an",
        "extraordinary",
        "12345678",
        "123456789",
        "é" * 9,
        "😀" * 9,
        "\x00" * 9,
        "\ud800" * 10,
        "x",
        "abc\u200bdefghij",
    ]
    texts = {
        "article-like": "the quick brown fox jumps over a lazy dog extraordinarily " * 50,
        "lead-trail": "  \t word123456789 \n ",
        "nbsp": "internationalization\xa0a\xa0the",
        "ideographic": "supercalifragilistic\u3000short",
        "info-separators": "onetwothreefour\x1cfive\x1dsix\x1eseven\x1f",
        "nel": "abcdefghijkl\x85m",
        "zero-width-not-space": "abcd\u200befghi abc\ufeffdefgh",
        "astral": "😀😀😀😀😀😀😀😀😀 😀😀",
        "kind4-with-spaces": "\U0001f600" * 12 + "\u2003" + "word",
    }
    for i in range(200):
        n = rnd.randint(1, 80)
        parts = []
        for _ in range(n):
            parts.append(
                rnd.choice(pieces) if rnd.random() < 0.6 else "".join(rnd.choices("abcé€😀", k=rnd.randint(1, 12)))
            )
            parts.append("".join(rnd.choices(SPACES + NOT_SPACES[:1], k=rnd.randint(1, 3))))
        texts["random-%d" % i] = "".join(parts)
    # Lengths around the 64-byte blocks of the 1-byte fast path.
    for n in range(55, 140):
        texts["len-%d" % n] = ("abcdefghi " * 20)[:n]
    return texts


TEXTS = _texts()


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_short_long_equals_python(name):
    t = TEXTS[name]
    try:
        want = reference.short_long(t)
    except ValueError:
        with pytest.raises(ValueError, match="no countable word"):
            short_long(t)
        return
    assert short_long(t) == want
    assert gokernels.short_long(t) == want


def test_short_long_every_space_code_point():
    for sp in SPACES:
        t = "abcdefghij%sxy%sthe" % (sp, sp)
        assert short_long(t) == reference.short_long(t) == 0.5, hex(ord(sp))
    for nsp in NOT_SPACES:
        assert short_long("abcd%sefgh" % nsp) == 1.0  # one 9-character word


def test_short_long_large():
    rnd = random.Random(1)
    words = ["the", "a", "computation", "kernel", "interpreter", "fast"]
    t = " ".join(rnd.choice(words) for _ in range(200_000))
    assert short_long(t) == reference.short_long(t)


@pytest.mark.parametrize("t", ["", "   ", "the a", "the\u3000a\t the"])
def test_short_long_no_words(t):
    with pytest.raises(ValueError, match="'text'"):
        short_long(t)
    with pytest.raises(ValueError):
        reference.short_long(t)


@pytest.mark.parametrize("bad", [None, b"abc", 3, ["a"]])
def test_short_long_type_error(bad):
    with pytest.raises(TypeError, match="short_long.*'text'"):
        short_long(bad)


ALPHABETS = {
    "ascii-letters": None,
    "binary": "01",
    "one": "x",
    "repeats": "aab",
    "latin1": "éèà",
    "mixed-kinds": "a\xe9\u20ac",
    "bmp": "\u20ac\u4e00\uffff",
    "astral": "a\U0001f600\U0010ffff",
    "surrogates": "\ud800\udc00",
    "digits+upper": "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
}


@pytest.mark.parametrize("name", sorted(ALPHABETS))
def test_random_string_uniform_canonical_repeatable(name):
    alphabet = ALPHABETS[name]
    call = (
        (lambda n, **kw: random_string(n, **kw))
        if alphabet is None
        else (lambda n, **kw: random_string(n, alphabet, **kw))
    )
    alphabet = alphabet or reference.string.ascii_letters
    n = 60_000
    s = call(n, seed=12345)
    assert len(s) == n
    assert s == call(n, seed=12345)
    assert call(1000, seed=12345) == s[:1000]  # a shorter output is a prefix
    if len(set(alphabet)) > 1:
        assert s != call(n, seed=12346)
        assert call(200) != call(200)  # unseeded draws differ
    assert set(s) <= set(alphabet)
    # Canonical storage: rebuilding the str from its characters gives an equal,
    # equally stored str (isascii and sys.getsizeof depend on the kind).
    rebuilt = "".join(list(s))
    assert s == rebuilt and s.isascii() == rebuilt.isascii() and sys.getsizeof(s) == sys.getsizeof(rebuilt)
    # Each alphabet position is equally likely: counts per character within
    # 5 standard deviations of n * multiplicity / len(alphabet).
    counts = collections.Counter(s)
    for c, mult in collections.Counter(alphabet).items():
        p = mult / len(alphabet)
        sd = (n * p * (1 - p)) ** 0.5
        assert abs(counts[c] - n * p) <= 5 * sd + 1, (c, counts[c], n * p)


def test_random_string_large_releases_nothing_wrong():
    s = random_string(3_000_000, "ab", seed=1)
    assert 1_400_000 < s.count("a") < 1_600_000


@pytest.mark.parametrize(
    "call, exc, words",
    [
        (lambda: random_string(-1), ValueError, ["'n'", ">= 0"]),
        (lambda: random_string(5, ""), ValueError, ["'alphabet'", "empty"]),
        (lambda: random_string(2.0), TypeError, ["'n'", "float"]),
        (lambda: random_string("5"), TypeError, ["'n'", "str"]),
        (lambda: random_string(5, b"ab"), TypeError, ["'alphabet'", "bytes"]),
        (lambda: random_string(5, ["a"]), TypeError, ["'alphabet'", "list"]),
        (lambda: random_string(5, seed="x"), TypeError, ["'seed'"]),
        (lambda: random_string(5, "ab", 3), TypeError, ["positional"]),
        (lambda: random_string(10**30), OverflowError, []),
        (lambda: random_string(2**62), MemoryError, []),
    ],
)
def test_random_string_bad_input(call, exc, words):
    with pytest.raises(exc) as info:
        call()
    for w in words:
        assert w in str(info.value)


def test_random_string_big_seeds():
    assert random_string(20, seed=-1) == random_string(20, seed=2**64 - 1)  # seeds are reduced to 64 bits
    assert random_string(20, seed=0) != random_string(20, seed=1)
