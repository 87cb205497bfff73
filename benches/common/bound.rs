//! What the memory system allows one-sample training of 784-128-10: the first layer's weight
//! (784 x 128 f32, 401 KB, larger than L1 and smaller than L2) streamed through three
//! hand-written loops, the least any implementation must do with it per sample.
//! - `read`: every weight read once, as a forward product must (a sum of the columns).
//!   784 is a multiple of the four columns it sums per step.
//! - `update`: every weight read and written once, as an SGD update must
//!   (`w -= lr (delta x^T)`).
//! - `fused`: the update of one sample and the next sample's product in one pass over the
//!   weight, the least a training step can stream if it defers each update to the next
//!   forward pass.
//!
//! Compiled for AVX-512 where the CPU has it (the widest loads; the compiled engine's own
//! one-sample kernels use AVX2), otherwise for the baseline. Used by `benches/ratios.rs`.
#![allow(unsafe_code)]

use std::hint::black_box;

/// The first layer's inputs.
const INPUTS: usize = 784;
/// The first layer's units.
const UNITS: usize = 128;

/// The weight (in `storage`, from the first cache-line boundary: the loops load whole lines)
/// and one sample's vectors.
pub struct Stream {
    storage: Vec<f32>,
    x: Vec<f32>,
    delta: [f32; UNITS],
    z: [f32; UNITS],
}

/// Values of a cache line.
const LINE: usize = 16;

impl Default for Stream {
    fn default() -> Self {
        Stream {
            storage: (0..INPUTS * UNITS + LINE)
                .map(|k| (k % 1000) as f32 * 1e-4)
                .collect(),
            x: (0..INPUTS).map(|k| (k % 13) as f32 * 0.01).collect(),
            // Small enough that the weights stay normal numbers over billions of updates.
            delta: [1e-6; UNITS],
            z: [0.0; UNITS],
        }
    }
}

/// A learning rate that leaves the weights' magnitude alone.
const LR: f32 = 1e-3;

impl Stream {
    /// The weight, from the first cache-line boundary of `storage`, and the vectors.
    fn parts(&mut self) -> (&mut [f32], &[f32], &[f32; UNITS], &mut [f32; UNITS]) {
        let start = self.storage.as_ptr().align_offset(64);
        let weight = &mut self.storage[start..start + INPUTS * UNITS];
        (weight, &self.x, &self.delta, &mut self.z)
    }

    /// One pass of `read`.
    pub fn read(&mut self) {
        black_box(read(self.parts().0));
    }

    /// One pass of `update`.
    pub fn update(&mut self) {
        let (weight, x, delta, _) = self.parts();
        update(weight, x, delta);
        black_box(&self.storage);
    }

    /// One pass of `fused`.
    pub fn fused(&mut self) {
        let (weight, x, delta, z) = self.parts();
        fused(weight, x, delta, z);
        black_box(&self.z);
    }
}

/// Defines `$name` to run `$body` compiled for AVX-512 when the CPU has it (a closure passed
/// to a `#[target_feature]` function may stay a function compiled for the baseline).
macro_rules! widest {
    (fn $name:ident($($arg:ident: $ty:ty),*) $(-> $out:ty)? $body:block) => {
        fn $name($($arg: $ty),*) $(-> $out)? {
            #[inline(always)]
            fn body($($arg: $ty),*) $(-> $out)? $body
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx512f")]
                fn wide($($arg: $ty),*) $(-> $out)? {
                    body($($arg),*)
                }
                if std::arch::is_x86_feature_detected!("avx512f") {
                    // SAFETY: the CPU has AVX-512F, the feature `wide` is compiled for.
                    return unsafe { wide($($arg),*) };
                }
            }
            body($($arg),*)
        }
    };
}

widest! {
    fn read(weight: &[f32]) -> [f32; UNITS] {
        // Four columns per step: four streams of loads in flight read L2 faster than one
        // (4.7 against 5.2 us per pass in a probe; two columns: 4.8 us).
        let mut sums = [0.0; UNITS];
        for columns in weight.chunks_exact(4 * UNITS) {
            let (a, rest) = columns.split_at(UNITS);
            let (b, rest) = rest.split_at(UNITS);
            let (c, d) = rest.split_at(UNITS);
            for (k, s) in sums.iter_mut().enumerate() {
                *s += (a[k] + b[k]) + (c[k] + d[k]);
            }
        }
        sums
    }
}

widest! {
    fn update(weight: &mut [f32], x: &[f32], delta: &[f32; UNITS]) {
        for (column, &x) in weight.chunks_exact_mut(UNITS).zip(x) {
            for (w, &d) in column.iter_mut().zip(delta) {
                *w -= LR * (d * x);
            }
        }
    }
}

widest! {
    fn fused(weight: &mut [f32], x: &[f32], delta: &[f32; UNITS], z: &mut [f32; UNITS]) {
        let mut sums = [0.0; UNITS];
        for (column, &x) in weight.chunks_exact_mut(UNITS).zip(x) {
            for ((w, &d), s) in column.iter_mut().zip(delta).zip(&mut sums) {
                let updated = *w - LR * (d * x);
                *w = updated;
                *s += updated * x;
            }
        }
        *z = sums;
    }
}
