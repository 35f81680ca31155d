//! Numbers packed in a few 32-bit words, each at a place of its own: the
//! records a vault holds by the hundred thousand (timestamps, links) keep
//! their offsets, lengths and lines in the bits those need, not in a
//! `u32` or a `usize` each.

use serde::{Deserialize, Serialize};

/// Where a number sits in a [`Bits`]: its lowest bit and its width (at
/// most 32).
#[derive(Clone, Copy)]
pub(super) struct Field {
    shift: u32,
    width: u32,
}

impl Field {
    pub(super) const fn new(shift: u32, width: u32) -> Self {
        Self { shift, width }
    }

    /// The field that starts where this one ends.
    pub(super) const fn then(self, width: u32) -> Self {
        Self::new(self.shift + self.width, width)
    }

    /// The largest value the field holds.
    pub(super) const fn max(self) -> u32 {
        ((1u64 << self.width) - 1) as u32
    }

    /// `value` when the field holds it.
    #[inline(always)]
    pub(super) fn fit(self, value: usize) -> Option<u32> {
        u32::try_from(value).ok().filter(|&v| v <= self.max())
    }

    #[inline(always)]
    fn mask(self) -> u128 {
        u128::from(self.max()) << self.shift
    }
}

/// The fields of a new [`Bits`], gathered in one number: a record is made
/// with all of its fields at once.
#[derive(Default)]
pub(super) struct Packing(u128);

impl Packing {
    /// With `field` set to `value`, cut to the field's width.
    #[inline(always)]
    #[must_use]
    pub(super) fn with(self, field: Field, value: u32) -> Self {
        Self(self.0 | ((u128::from(value) << field.shift) & field.mask()))
    }

    #[inline(always)]
    pub(super) fn bits<const N: usize>(self) -> Bits<N> {
        Bits::from_all(self.0)
    }
}

/// `N` words (at most four) read as one little-endian number of `32 × N`
/// bits, whose [`Field`]s are read and written one at a time. Saved as
/// its `N` words. Every method is inlined: called with the constant
/// fields of a record, its shifts and masks are then constants too (the
/// fields packed through a loop instead cost the load 1% more
/// instructions).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) struct Bits<const N: usize>([u32; N]);

impl<const N: usize> Default for Bits<N> {
    fn default() -> Self {
        Self([0; N])
    }
}

impl<const N: usize> Serialize for Bits<N> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeTuple;
        let mut tuple = serializer.serialize_tuple(N)?;
        for word in &self.0 {
            tuple.serialize_element(word)?;
        }
        tuple.end()
    }
}

impl<'de, const N: usize> Deserialize<'de> for Bits<N> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Words<const N: usize>;
        impl<'de, const N: usize> serde::de::Visitor<'de> for Words<N> {
            type Value = Bits<N>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{N} words")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Bits<N>, A::Error> {
                let mut words = [0; N];
                for (i, word) in words.iter_mut().enumerate() {
                    *word = seq
                        .next_element()?
                        .ok_or_else(|| serde::de::Error::invalid_length(i, &self))?;
                }
                Ok(Bits(words))
            }
        }
        deserializer.deserialize_tuple(N, Words)
    }
}

impl<const N: usize> Bits<N> {
    #[inline(always)]
    fn from_all(all: u128) -> Self {
        // Each cast keeps the 32 bits of one word.
        Self(std::array::from_fn(|i| (all >> (32 * i)) as u32))
    }

    #[inline(always)]
    fn all(&self) -> u128 {
        (self.0.iter().rev()).fold(0, |all, &word| all << 32 | u128::from(word))
    }

    /// The field's value, read from the one or two words it lies in.
    #[inline(always)]
    pub(super) fn get(&self, field: Field) -> u32 {
        let word = (field.shift / 32) as usize;
        let low = self.0.get(word).copied().unwrap_or(0);
        let high = self.0.get(word + 1).copied().unwrap_or(0);
        let both = u64::from(low) | u64::from(high) << 32;
        // Masked to the field's width, at most 32 bits: the cast keeps them.
        ((both >> (field.shift % 32)) & u64::from(field.max())) as u32
    }

    /// Sets `field` to `value`, cut to the field's width (callers make it
    /// fit first, with [`Field::fit`] or [`Field::max`]).
    #[inline(always)]
    pub(super) fn set(&mut self, field: Field, value: u32) {
        let all =
            (self.all() & !field.mask()) | ((u128::from(value) << field.shift) & field.mask());
        *self = Self::from_all(all);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_keep_their_values_apart_across_words() {
        let a = Field::new(0, 24);
        let b = a.then(23);
        let c = b.then(1);
        let d = c.then(32);
        let e = d.then(32);
        assert_eq!((b.shift, e.shift, e.max()), (24, 80, u32::MAX));
        let mut bits = Bits::<4>::default();
        let values = [
            (a, 0xAB_CDEF),
            (b, 0x7F_FFFF),
            (c, 1),
            (d, 0xDEAD_BEEF),
            (e, 7),
        ];
        for (field, value) in values {
            bits.set(field, value);
        }
        let packed = (values.into_iter()).fold(Packing::default(), |p, (f, v)| p.with(f, v));
        assert_eq!(packed.bits(), bits, "set at once as one by one");
        for (field, value) in values {
            assert_eq!(bits.get(field), value);
        }
        bits.set(b, 0);
        assert_eq!((bits.get(a), bits.get(b), bits.get(c)), (0xAB_CDEF, 0, 1));
        // Too wide a value is cut to the field, never spills over.
        bits.set(c, 2);
        assert_eq!((bits.get(b), bits.get(c), bits.get(d)), (0, 0, 0xDEAD_BEEF));
        assert_eq!(
            (a.fit(1 << 24), a.fit(5), c.fit(usize::MAX)),
            (None, Some(5), None)
        );
    }
}
