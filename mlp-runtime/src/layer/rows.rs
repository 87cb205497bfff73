//! A layer's units cut into runs of whole blocks, one a thread, and each run's rows of a
//! column-major weight copied into a buffer of its own and back: what the threads of an
//! on-line session's walk ([`super::DeferredUpdate`]) and of a shared product
//! ([`super::SharedProduct`]) each own.

use core::ops::Range;

use mlp_spec::DEFERRED_UNITS;

/// `units` cut into `parts` runs of whole blocks of [`DEFERRED_UNITS`] (the caller's `parts`
/// is at most the blocks): part `p` takes blocks `p * blocks / parts` up to the next part's,
/// and the last part also the units after the last whole block.
pub(super) fn runs(units: usize, parts: usize) -> Box<[Range<usize>]> {
    let blocks = units / DEFERRED_UNITS;
    debug_assert!((1..=blocks.max(1)).contains(&parts), "a part has a block");
    let first_row = |p: usize| {
        if p == parts {
            units
        } else {
            p * blocks / parts * DEFERRED_UNITS
        }
    };
    (0..parts).map(|p| first_row(p)..first_row(p + 1)).collect()
}

/// Copies `rows` of `weight` (column-major, `units` rows) into `own`, column after column.
pub(super) fn take_rows<T: Copy>(weight: &[T], units: usize, rows: &Range<usize>, own: &mut [T]) {
    let columns = weight
        .chunks_exact(units)
        .zip(own.chunks_exact_mut(rows.len()));
    for (column, own) in columns {
        own.copy_from_slice(&column[rows.clone()]);
    }
}

/// Copies `own` (the rows [`take_rows`] took) back into `rows` of `weight`.
pub(super) fn put_rows<T: Copy>(own: &[T], units: usize, rows: &Range<usize>, weight: &mut [T]) {
    let columns = weight
        .chunks_exact_mut(units)
        .zip(own.chunks_exact(rows.len()));
    for (column, own) in columns {
        column[rows.clone()].copy_from_slice(own);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_are_whole_blocks_and_the_last_takes_the_rest() {
        assert_eq!(*runs(128, 2), [0..64, 64..128]);
        assert_eq!(*runs(320, 3), [0..64, 64..192, 192..320]);
        assert_eq!(*runs(300, 4), [0..64, 64..128, 128..192, 192..300]);
        assert_eq!(runs(100, 1).first(), Some(&(0..100)));
        let weight: Vec<u32> = (0..12).collect(); // 4 rows, 3 columns
        let mut own = [0; 6];
        take_rows(&weight, 4, &(1..3), &mut own);
        assert_eq!(own, [1, 2, 5, 6, 9, 10]);
        let mut back = vec![0; 12];
        put_rows(&own, 4, &(1..3), &mut back);
        assert_eq!(back, [0, 1, 2, 0, 0, 5, 6, 0, 0, 9, 10, 0]);
    }
}
