//! Buffers the threads of a step split by units share: each writes its own parts of every
//! layer's matrices, and reads what the others wrote only after a barrier.
//!
//! Rust's borrows cannot say that, since a block of rows of a column-major matrix is not a
//! contiguous slice: the slice that holds it also spans the other threads' rows of the columns
//! between its first and last. So the step takes its buffers as [`Shared`] handles and borrows
//! parts of them phase by phase, each borrow under the rule below.
#![allow(unsafe_code)]

use std::marker::PhantomData;
use std::ops::Range;

/// A buffer borrowed mutably for a step, whose parts the step's threads borrow in turn.
pub(super) struct Shared<'a, T> {
    ptr: *mut T,
    len: usize,
    buffer: PhantomData<&'a mut [T]>,
}

// SAFETY: a `Shared` hands out parts of a buffer it borrows mutably, as `&mut [T]` would
// across threads; the rule of `get` and `get_mut` keeps those parts from racing.
unsafe impl<T: Send + Sync> Sync for Shared<'_, T> {}
// SAFETY: as above.
unsafe impl<T: Send> Send for Shared<'_, T> {}

impl<'a, T> Shared<'a, T> {
    /// The handle of `buffer`, borrowed for as long as the handle lives.
    pub(super) fn new(buffer: &'a mut [T]) -> Self {
        Shared {
            ptr: buffer.as_mut_ptr(),
            len: buffer.len(),
            buffer: PhantomData,
        }
    }

    /// Whether the buffer is empty.
    pub(super) fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The part `range` of the buffer, to read.
    ///
    /// # Safety
    ///
    /// While the slice lives, no thread may write an element that this thread reads through
    /// it. Elements of the range it does not read may be written by others: the aliasing
    /// rules of the Rust reference are LLVM's `noalias`, which concern the memory a reference
    /// is used to access.
    ///
    /// # Panics
    ///
    /// If `range` is not within the buffer.
    pub(super) unsafe fn get(&self, range: Range<usize>) -> &[T] {
        assert!(
            range.start <= range.end && range.end <= self.len,
            "a part of the buffer"
        );
        // SAFETY: within the buffer, which lives for 'a; the caller rules out races.
        unsafe { std::slice::from_raw_parts(self.ptr.add(range.start), range.len()) }
    }

    /// The part `range` of the buffer, to write.
    ///
    /// # Safety
    ///
    /// While the slice lives, no other thread may read or write an element that this thread
    /// reads or writes through it (others may use the elements of the range it does not
    /// touch, as with [`Shared::get`]), and this thread may not use another borrow of them.
    ///
    /// # Panics
    ///
    /// If `range` is not within the buffer.
    #[allow(clippy::mut_from_ref)] // The handle's point: parts of one buffer for each thread.
    pub(super) unsafe fn get_mut(&self, range: Range<usize>) -> &mut [T] {
        assert!(
            range.start <= range.end && range.end <= self.len,
            "a part of the buffer"
        );
        // SAFETY: within the buffer, which lives for 'a; the caller rules out races and
        // aliases.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.add(range.start), range.len()) }
    }
}
