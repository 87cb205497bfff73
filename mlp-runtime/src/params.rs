//! Where a compiled network keeps its parameters: on the heap, or compiled into the binary.

use core::ops::Deref;
#[cfg(feature = "std")]
use core::ops::DerefMut;

/// The parameters of a compiled network, in the flat order: owned on the heap, or trained
/// weights compiled into the binary (`#[mlp(spec = "...", weights = "...")]`), which reading
/// needs no allocation for. Writing to compiled-in weights (training them further) copies
/// them to the heap first. Used by generated code.
#[derive(Clone, Debug, PartialEq)]
pub enum Params<T: 'static> {
    /// Parameters on the heap, starting on a cache line.
    #[cfg(feature = "std")]
    Owned(crate::lines::Lines<T>),
    /// Parameters in the binary's read-only data.
    Static(&'static [T]),
}

impl<T> Deref for Params<T> {
    type Target = [T];

    #[inline]
    fn deref(&self) -> &[T] {
        match self {
            #[cfg(feature = "std")]
            Params::Owned(values) => values,
            Params::Static(values) => values,
        }
    }
}

#[cfg(feature = "std")]
impl<T: Copy + Default> DerefMut for Params<T> {
    /// Inlined, with the copy out of line: every training step writes the parameters, and a
    /// call for this match was about 1% of the instructions of a small network's step.
    #[inline]
    fn deref_mut(&mut self) -> &mut [T] {
        if let Params::Static(values) = *self {
            self.copy_to_heap(values);
        }
        match self {
            Params::Owned(values) => values,
            Params::Static(_) => unreachable!("made owned above"),
        }
    }
}

#[cfg(feature = "std")]
impl<T: Copy + Default> Params<T> {
    /// Replaces compiled-in weights with an owned copy, once, before they are first written.
    #[cold]
    #[inline(never)]
    fn copy_to_heap(&mut self, values: &'static [T]) {
        *self = Params::Owned(crate::lines::Lines::from(values));
    }
}

/// `count` zeros on the heap.
#[cfg(feature = "std")]
pub fn zeros<T: Copy + Default>(count: usize) -> Box<[T]> {
    vec![T::default(); count].into_boxed_slice()
}

#[cfg(test)]
mod tests {
    use super::*;

    static WEIGHTS: [f32; 3] = [1.0, 2.0, 3.0];

    #[test]
    fn compiled_in_weights_are_read_in_place_and_copied_on_write() {
        let mut params = Params::Static(&WEIGHTS);
        assert!(std::ptr::eq(params.as_ptr(), WEIGHTS.as_ptr()));
        params[1] = 5.0;
        assert_eq!(&*params, [1.0, 5.0, 3.0]);
        assert!(matches!(params, Params::Owned(_)));
        assert_eq!(WEIGHTS, [1.0, 2.0, 3.0], "the binary's copy is untouched");
    }
}
