//! The benchmarks' data: a portable pseudo-random sequence and the batches made of it. Shared
//! by the benches and the A/B networks of `scripts/ab_bench.sh` (which copies this file), and
//! free of the project's crates for that.

/// Batches the steps cycle through. Repeating one batch millions of times drove the
/// gradients, and adam's moments, into subnormal numbers, whose arithmetic is many times
/// slower on x86 and would be measured instead. With sixteen batches of random labels a
/// network still memorises them at batch 1, but slowly enough that its numbers stay normal
/// (4-16-16-3 after 3 M steps: smallest probability 2e-16, no subnormal parameter).
pub const BATCHES: usize = 16;

/// A portable pseudo-random sequence (SplitMix64), so both engines see the same data.
struct Numbers(u64);

impl Numbers {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// `BATCHES` batches of `count` samples: inputs in [-1, 1), one-hot random labels (0/1 for a
/// single output).
pub fn batches(inputs: usize, outputs: usize, count: usize) -> Vec<(Vec<f32>, Vec<f32>)> {
    let mut numbers = Numbers(42);
    (0..BATCHES)
        .map(|_| {
            let x = (0..inputs * count)
                .map(|_| (2.0 * numbers.next() - 1.0) as f32)
                .collect();
            let mut y = vec![0.0f32; outputs * count];
            for sample in 0..count {
                let label = (numbers.next() * outputs.max(2) as f64) as usize;
                if outputs == 1 {
                    y[sample] = label as f32;
                } else {
                    y[sample * outputs + label] = 1.0;
                }
            }
            (x, y)
        })
        .collect()
}
