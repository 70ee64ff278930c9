//! Results handed back through a reusable Float64Array that the facade owns ("info
//! buffers"): cheaper than building a JS object from native code.

use elex_engine::error::{ElexError, Result};
use elex_engine::kernels;
use elex_engine::types::Finite;

/// Copies `values` into an info buffer of exactly their length.
pub fn fill(out: &mut [f64], values: &[f64]) -> Result<()> {
    if out.len() != values.len() {
        return Err(ElexError::bad_argument(
            "out",
            format!("a Float64Array of {}", values.len()),
            &out.len(),
        ));
    }
    out.copy_from_slice(values);
    Ok(())
}

/// `aggregate` as [sum, weightedSum, max, countAbove] into a 4-value buffer.
pub fn aggregate(values: &[f32], weights: &[f32], threshold: f64, out: &mut [f64]) -> Result<()> {
    let r = kernels::aggregate(values, weights, Finite::new("threshold", threshold)?)?;
    fill(out, &[r.sum, r.weighted_sum, r.max, r.count_above as f64])
}
