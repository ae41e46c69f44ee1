"""Built-in benchmark inputs, generated from fixed seeds (no data files)."""

import itertools
import random
import string

# A small English vocabulary, drawn with Zipf-like weights so that the text
# repeats the way prose does (lz-string's dictionary depends on that).
_WORDS = (
    "the of and to a in is it that was he for on are as with his they at be this from have or by one had not "
    "but what all were when we there can an your which their said if do will each about how up out them then she "
    "many some so these would other into has more her two like him see time could no make than first been its "
    "who now people my made over did down only way find use may water long little very after words called just "
    "where most know get through back much before go good new write our used me man too any day same right look "
    "think also around another came come work three word must because does part even place well such here take "
    "why things help put years different away again off went old number great tell men say small every found "
    "still between name should home big give air line set own under read last never us left end along while "
    "might next sound below saw something thought both few those always looked show large often together asked "
    "house world going want school important until form food keep children feet land side without boy once "
    "animals life enough took sometimes four head above kind began almost live page got earth need far hand high "
    "year mother light parts country father let night following picture being study second eyes soon times story "
    "boys since white days ever paper hard near sentence better best across during today others however sure means "
    "knew extraordinary interpretation nevertheless circumstances responsibility characteristics"
).split()


def natural_text(n_chars: int, seed: int = 1) -> str:
    """About n_chars of English-like text (exactly n_chars long)."""
    rnd = random.Random(seed)
    weights = [1 / (i + 1) for i in range(len(_WORDS))]
    out, size = [], 0
    while size < n_chars:
        sentence = rnd.choices(_WORDS, weights, k=rnd.randint(5, 18))
        s = " ".join(sentence).capitalize() + ". "
        out.append(s)
        size += len(s)
    return "".join(out)[:n_chars]


def words_text(n_words: int, seed: int = 2) -> str:
    """n_words words of English-like text (the word-length benchmarks)."""
    rnd = random.Random(seed)
    weights = [1 / (i + 1) for i in range(len(_WORDS))]
    return " ".join(rnd.choices(_WORDS, weights, k=n_words))


def uppercase_digits(n: int, rnd: random.Random) -> str:
    """The lz-string article's input: n random uppercase letters and digits."""
    return "".join(rnd.choices(string.ascii_uppercase + string.digits, k=n))


# A pool of fresh inputs is at least this big when affordable: three times a 32 MB L3 cache.
FRESH_BYTES = 96 << 20


def rotations(s: str, count: int):
    """count distinct strings as long as s, each a copy of its own: s rotated
    by a different offset (cheap to make, unlike count new texts)."""
    step = max(1, len(s) // max(count, 1))
    return [s[i * step :] + s[: i * step] for i in range(count)]


def on_fresh(fn, pool, same=None):
    """A timed call on fresh inputs: each call takes the next (input, answer)
    of the pool, in turn, and returns whether fn's answer was right (so
    every call is checked; the case expects True). same(got, want) replaces
    == where a peer's answer may differ harmlessly."""
    it = itertools.cycle(pool)

    if same is not None:

        def run_same():
            x, want = next(it)
            return same(fn(x), want)

        return run_same

    def run():
        x, want = next(it)
        return fn(x) == want

    return run
