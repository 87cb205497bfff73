//! What the kernels may use: the CPU's features, detected once, under the cap that
//! [`INSTRUCTION_SET_VARIABLE`] sets.

#[cfg(feature = "std")]
use std::fmt;

/// The environment variable that caps the instruction set the kernels pick at run time, as
/// PyTorch's `ATEN_CPU_CAPABILITY` caps its kernels: `avx512`, `avx2+fma` or `baseline`, the
/// names [`instruction_set`](super::instruction_set) reports. The kernels then use nothing
/// wider, so a machine with AVX-512 computes the bits of one without it (fused multiply-adds
/// round differently from a multiply and an add), and tests can run the narrower kernels. A
/// cap above what the CPU has changes nothing. It is read once, at the first product; a build
/// for a CPU (`-C target-cpu`) keeps what it was compiled for outside the run-time choice.
pub const INSTRUCTION_SET_VARIABLE: &str = "MLP_INSTRUCTION_SET";

/// The instruction sets the kernels choose from, the widest first.
#[cfg(feature = "std")]
const NAMES: [&str; 3] = ["avx512", "avx2+fma", "baseline"];

/// The value of [`INSTRUCTION_SET_VARIABLE`] is not one of the instruction sets the kernels
/// know.
#[cfg(feature = "std")]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownInstructionSet {
    /// The variable's value.
    pub value: String,
}

#[cfg(feature = "std")]
impl fmt::Display for UnknownInstructionSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{INSTRUCTION_SET_VARIABLE}=`{}` is not an instruction set of the kernels: set it to \
             avx512, avx2+fma or baseline, or unset it",
            self.value
        )
    }
}

#[cfg(feature = "std")]
impl std::error::Error for UnknownInstructionSet {}

/// The cap [`INSTRUCTION_SET_VARIABLE`] asks for: `None` when it is unset (or empty).
///
/// # Errors
///
/// [`UnknownInstructionSet`] when its value is not one of `avx512`, `avx2+fma` and
/// `baseline` (in any case, around any spaces; `avx2` stands for `avx2+fma`). The kernels
/// then use what the CPU has, and say so once on standard error; `mlp` refuses to start.
#[cfg(feature = "std")]
pub fn requested_instruction_set() -> Result<Option<&'static str>, UnknownInstructionSet> {
    match std::env::var_os(INSTRUCTION_SET_VARIABLE) {
        None => Ok(None),
        Some(value) => parse(&value.to_string_lossy()),
    }
}

/// The instruction set `value` names, as [`requested_instruction_set`] reads it: `avx2`
/// stands for `avx2+fma`, as PyTorch's users write it.
#[cfg(feature = "std")]
fn parse(value: &str) -> Result<Option<&'static str>, UnknownInstructionSet> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    if trimmed.eq_ignore_ascii_case("avx2") {
        return Ok(Some("avx2+fma"));
    }
    NAMES
        .iter()
        .find(|name| name.eq_ignore_ascii_case(trimmed))
        .map(|&name| Some(name))
        .ok_or_else(|| UnknownInstructionSet {
            value: value.to_owned(),
        })
}

/// Where `name` stands among [`NAMES`]: the narrower, the higher.
#[cfg(all(feature = "std", target_arch = "x86_64"))]
fn rank(name: &str) -> usize {
    NAMES.iter().position(|&n| n == name).unwrap_or(0)
}

/// The run-time variants the kernels may take.
#[cfg(target_arch = "x86_64")]
#[derive(Clone, Copy, Debug)]
pub(super) struct Features {
    /// AVX2: the element-wise and small kernels, which fuse no multiply-adds.
    pub(super) avx2: bool,
    /// AVX2 and FMA: the tiled products' AVX2 variants.
    pub(super) avx2_fma: bool,
    /// AVX-512F and FMA: the tiled products' and one sample's wide kernels.
    pub(super) avx512_fma: bool,
}

#[cfg(all(feature = "std", target_arch = "x86_64"))]
impl Features {
    /// What `has` (a feature's test) allows under `cap`.
    fn capped(cap: Option<&str>, has: impl Fn(&str) -> bool) -> Self {
        let allows = |name: &str| cap.is_none_or(|cap| rank(name) >= rank(cap));
        let avx2 = allows("avx2+fma") && has("avx2");
        Features {
            avx2,
            avx2_fma: avx2 && has("fma"),
            avx512_fma: allows("avx512") && has("avx512f") && has("fma"),
        }
    }
}

#[cfg(all(feature = "std", target_arch = "x86_64"))]
pub(super) use detected::features;

/// The features of the CPU, detected at run time.
#[cfg(all(feature = "std", target_arch = "x86_64"))]
mod detected {
    use std::sync::atomic::{AtomicU8, Ordering::Relaxed};

    use super::{Features, requested_instruction_set};

    /// [`features`]' bits, with [`KNOWN`] once detected. Threads that detect at once store
    /// the same value.
    static FEATURES: AtomicU8 = AtomicU8::new(0);
    const KNOWN: u8 = 1 << 7;
    const AVX2: u8 = 1;
    const AVX2_FMA: u8 = 1 << 1;
    const AVX512_FMA: u8 = 1 << 2;

    /// The features of this CPU the kernels may use: detected at the first call, under the
    /// cap. One byte, loaded and tested as `is_x86_feature_detected!` tests its cache: with
    /// a `OnceLock` a 2-8-1 prediction took five instructions more than with that cache,
    /// with the byte three (the same checks, laid out otherwise) and the same time.
    #[inline]
    pub(in super::super) fn features() -> Features {
        let bits = FEATURES.load(Relaxed);
        let bits = if bits & KNOWN != 0 { bits } else { detect() };
        Features {
            avx2: bits & AVX2 != 0,
            avx2_fma: bits & AVX2_FMA != 0,
            avx512_fma: bits & AVX512_FMA != 0,
        }
    }

    /// Detects the features, reads the cap, and stores [`FEATURES`].
    #[cold]
    #[inline(never)]
    fn detect() -> u8 {
        static WARNING: std::sync::Once = std::sync::Once::new();
        let cap = requested_instruction_set().unwrap_or_else(|unknown| {
            WARNING.call_once(|| {
                eprintln!("mlp: {unknown}; until then the kernels use everything the CPU has");
            });
            None
        });
        let features = Features::capped(cap, |feature| match feature {
            "avx2" => std::arch::is_x86_feature_detected!("avx2"),
            "fma" => std::arch::is_x86_feature_detected!("fma"),
            "avx512f" => std::arch::is_x86_feature_detected!("avx512f"),
            _ => false,
        });
        let bits = KNOWN
            | if features.avx2 { AVX2 } else { 0 }
            | if features.avx2_fma { AVX2_FMA } else { 0 }
            | if features.avx512_fma { AVX512_FMA } else { 0 };
        FEATURES.store(bits, Relaxed);
        bits
    }
}

/// Without `std`, what the build targets (`-C target-feature` or `-C target-cpu`): nothing to
/// detect, and no environment to read a cap from.
#[cfg(all(not(feature = "std"), target_arch = "x86_64"))]
#[inline]
pub(super) fn features() -> Features {
    Features {
        avx2: cfg!(target_feature = "avx2"),
        avx2_fma: cfg!(target_feature = "avx2") && cfg!(target_feature = "fma"),
        avx512_fma: cfg!(target_feature = "avx512f") && cfg!(target_feature = "fma"),
    }
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::*;

    #[test]
    fn the_variable_names_a_set_in_any_case_or_nothing() {
        assert_eq!(parse("avx512"), Ok(Some("avx512")));
        assert_eq!(parse(" AVX2+FMA\n"), Ok(Some("avx2+fma")));
        assert_eq!(parse("Baseline"), Ok(Some("baseline")));
        assert_eq!(parse(""), Ok(None));
        assert_eq!(parse("  "), Ok(None));
        assert_eq!(parse("avx2"), Ok(Some("avx2+fma")));
        let unknown = parse("avx3").unwrap_err();
        assert_eq!(unknown.value, "avx3");
        assert_eq!(
            unknown.to_string(),
            "MLP_INSTRUCTION_SET=`avx3` is not an instruction set of the kernels: set it to \
             avx512, avx2+fma or baseline, or unset it"
        );
    }

    /// CI runs the tests with the variable unset and set to each narrower set.
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn the_kernels_report_the_widest_set_the_cpu_has_under_the_cap() {
        use std::arch::is_x86_feature_detected as has;
        let best = if has!("avx512f") && has!("fma") {
            "avx512"
        } else if has!("avx2") && has!("fma") {
            "avx2+fma"
        } else {
            "baseline"
        };
        let expected = match requested_instruction_set().unwrap_or(None) {
            Some(cap) if rank(cap) > rank(best) => cap,
            _ => best,
        };
        assert_eq!(super::super::instruction_set(), expected);
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn a_cap_takes_away_every_wider_set_and_adds_none() {
        let all = |_: &str| true;
        let sets = |f: Features| (f.avx2, f.avx2_fma, f.avx512_fma);
        assert_eq!(sets(Features::capped(None, all)), (true, true, true));
        assert_eq!(
            sets(Features::capped(Some("avx512"), all)),
            (true, true, true)
        );
        assert_eq!(
            sets(Features::capped(Some("avx2+fma"), all)),
            (true, true, false)
        );
        assert_eq!(
            sets(Features::capped(Some("baseline"), all)),
            (false, false, false)
        );
        // A CPU with AVX2 but no FMA keeps the kernels that fuse nothing.
        let no_fma = |feature: &str| feature == "avx2";
        assert_eq!(sets(Features::capped(None, no_fma)), (true, false, false));
        assert_eq!(
            sets(Features::capped(Some("avx512"), no_fma)),
            (true, false, false)
        );
        let none = |_: &str| false;
        assert_eq!(sets(Features::capped(None, none)), (false, false, false));
    }
}
