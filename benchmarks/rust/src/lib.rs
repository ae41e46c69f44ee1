//! The Rust kernels of the five articles gokernels answers, rebuilt from their
//! descriptions as one PyO3 module, so that `make bench` and `gokernels bench`
//! can measure them on this machine in the same run as gokernels.
//!
//! - article 2 (rust-python-example): count doubles over chars with two
//!   iterators, over chars once, over bytes once;
//! - article 4 (pyo3-myrustlib): the same over a byte slice, sequential and
//!   with rayon (the GIL released, as that article did);
//! - article 3: the "optimized" CVM: a set of the items' `__hash__` values
//!   (nohash-hasher), SmallRng, LTO;
//! - article 1: lz-string to and from Base64 through the lz-str crate (a
//!   failure raises TypeError, as that article's wrapper did);
//! - `noop(x)`: a PyO3 function that does nothing, the floor of a call's cost.

use std::collections::HashSet;

use nohash_hasher::BuildNoHashHasher;
use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use rayon::prelude::*;

/// Article 2's first Rust version: zip the chars with the chars one further on.
#[pyfunction]
fn count_doubles_chars(val: &str) -> u64 {
    let mut total = 0;
    for (a, b) in val.chars().zip(val.chars().skip(1)) {
        if a == b {
            total += 1;
        }
    }
    total
}

/// Article 2's "chars once": one pass, remembering the previous char.
#[pyfunction]
fn count_doubles_chars_once(val: &str) -> u64 {
    let mut chars = val.chars();
    let Some(mut prev) = chars.next() else {
        return 0;
    };
    let mut total = 0;
    for c in chars {
        if c == prev {
            total += 1;
        }
        prev = c;
    }
    total
}

fn bytes_once(val: &[u8]) -> u64 {
    let Some((&first, rest)) = val.split_first() else {
        return 0;
    };
    let mut prev = first;
    let mut total = 0;
    for &b in rest {
        if b == prev {
            total += 1;
        }
        prev = b;
    }
    total
}

/// Article 2's "bytes once", over the bytes of a bytes object (or a str's UTF-8).
#[pyfunction]
fn count_doubles_bytes(val: &[u8]) -> u64 {
    bytes_once(val)
}

/// Article 4's `slice`: windows of two bytes.
#[pyfunction]
fn count_doubles_slice(val: &[u8]) -> u64 {
    val.windows(2).filter(|w| w[0] == w[1]).count() as u64
}

/// Article 4's `slice_parallel`: the same windows, counted by rayon's thread
/// pool with the GIL released.
#[pyfunction]
fn count_doubles_slice_parallel(py: Python<'_>, val: &[u8]) -> u64 {
    py.detach(|| val.par_windows(2).filter(|w| w[0] == w[1]).count() as u64)
}

/// Article 3's optimized CVM: items are tracked by their `__hash__`, in a set
/// of u64 that does not hash again, with a small fast RNG. Raises
/// RuntimeError("we got unlucky") where the algorithm as published fails.
#[pyfunction]
#[pyo3(signature = (items, epsilon=0.5, delta=0.001, seed=None))]
fn count_approx(items: &Bound<'_, PyAny>, epsilon: f64, delta: f64, seed: Option<u64>) -> PyResult<f64> {
    if !(epsilon > 0.0 && epsilon < 1.0) || !(delta > 0.0 && delta < 1.0) {
        return Err(PyValueError::new_err("epsilon and delta must be in (0, 1)"));
    }
    let n = items.len()?.max(1) as f64;
    let max_tracked = (12.0 / (epsilon * epsilon) * (8.0 * n / delta).log2()).round() as usize;
    let mut rng = match seed {
        Some(s) => SmallRng::seed_from_u64(s),
        None => SmallRng::from_os_rng(),
    };
    let mut tracked: HashSet<u64, BuildNoHashHasher<u64>> =
        HashSet::with_capacity_and_hasher(max_tracked + 1, BuildNoHashHasher::default());
    let mut p = 1.0f64;
    for item in items.try_iter()? {
        let h = item?.hash()? as u64;
        tracked.remove(&h);
        if rng.random::<f64>() < p {
            tracked.insert(h);
        }
        if tracked.len() == max_tracked {
            tracked.retain(|_| rng.random::<bool>());
            p /= 2.0;
            if tracked.len() == max_tracked {
                return Err(PyRuntimeError::new_err("we got unlucky"));
            }
        }
    }
    Ok(tracked.len() as f64 / p)
}

/// Article 1: lz-string's compressToBase64, by the lz-str crate. (lz-str pads
/// some outputs with one more '=' than JavaScript's lz-string does.)
#[pyfunction]
fn compress_to_base64(val: &str) -> String {
    lz_str::compress_to_base64(val)
}

/// Article 1: decompressFromBase64, by the lz-str crate; TypeError on failure.
#[pyfunction]
fn decompress_from_base64(val: &str) -> PyResult<String> {
    let units = lz_str::decompress_from_base64(val)
        .ok_or_else(|| PyTypeError::new_err("decompress_from_base64: invalid input"))?;
    String::from_utf16(&units).map_err(|e| PyTypeError::new_err(e.to_string()))
}

/// Does nothing with its one argument and returns 0: the cost of a PyO3 call.
#[pyfunction]
fn noop(_x: &Bound<'_, PyAny>) -> u64 {
    0
}

#[pymodule]
fn gokernels_rust_peers(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(count_doubles_chars, m)?)?;
    m.add_function(wrap_pyfunction!(count_doubles_chars_once, m)?)?;
    m.add_function(wrap_pyfunction!(count_doubles_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(count_doubles_slice, m)?)?;
    m.add_function(wrap_pyfunction!(count_doubles_slice_parallel, m)?)?;
    m.add_function(wrap_pyfunction!(count_approx, m)?)?;
    m.add_function(wrap_pyfunction!(compress_to_base64, m)?)?;
    m.add_function(wrap_pyfunction!(decompress_from_base64, m)?)?;
    m.add_function(wrap_pyfunction!(noop, m)?)?;
    Ok(())
}
