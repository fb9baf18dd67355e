//! A fixed-size set of document numbers, one bit each: the search combines word matches and facet filters with
//! word-wide AND/OR and counts with popcount, which keeps every query proportional to the corpus size / 64.

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bitset {
    words: Vec<u64>,
    len: usize,
}

impl Bitset {
    pub fn empty(len: usize) -> Self {
        Self { words: vec![0; len.div_ceil(64)], len }
    }

    pub fn full(len: usize) -> Self {
        let mut s = Self { words: vec![u64::MAX; len.div_ceil(64)], len };
        s.clear_tail();
        s
    }

    pub fn from_sorted(len: usize, docs: &[u32]) -> Self {
        let mut s = Self::empty(len);
        for &d in docs {
            s.insert(d);
        }
        s
    }

    fn clear_tail(&mut self) {
        let rem = self.len % 64;
        if rem != 0
            && let Some(last) = self.words.last_mut()
        {
            *last &= (1u64 << rem) - 1;
        }
    }

    pub fn insert(&mut self, doc: u32) {
        let d = doc as usize;
        debug_assert!(d < self.len);
        self.words[d / 64] |= 1 << (d % 64);
    }

    pub fn count(&self) -> u64 {
        self.words.iter().map(|w| u64::from(w.count_ones())).sum()
    }

    pub fn and_with(&mut self, other: &Bitset) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= b;
        }
    }

    pub fn or_with(&mut self, other: &Bitset) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
    }

    pub fn and_not_with(&mut self, other: &Bitset) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= !b;
        }
    }

    /// |self ∩ other| without building the intersection.
    pub fn count_and(&self, other: &Bitset) -> u64 {
        self.count_and_in(other, 0..self.words.len())
    }

    /// Calls `f` with each member, in increasing order: the same as [`Bitset::iter`], in a plain loop the
    /// compiler keeps tight (the facet counts walk thousands of members per search).
    pub fn for_each(&self, mut f: impl FnMut(u32)) {
        for (i, &word) in self.words.iter().enumerate() {
            let base = (i * 64) as u32;
            let mut w = word;
            while w != 0 {
                f(base + w.trailing_zeros());
                w &= w - 1;
            }
        }
    }

    /// The words that hold members: from the first to the last non-zero one (an empty range when there is none).
    pub fn span(&self) -> std::ops::Range<usize> {
        match self.words.iter().position(|&w| w != 0) {
            Some(first) => first..self.words.iter().rposition(|&w| w != 0).map_or(first, |last| last) + 1,
            None => 0..0,
        }
    }

    /// |self ∩ other| counted over the words of `span` only: the same as [`Bitset::count_and`] when `other` has no
    /// member outside them ([`Bitset::span`]).
    pub fn count_and_in(&self, other: &Bitset, span: std::ops::Range<usize>) -> u64 {
        self.words[span.clone()].iter().zip(&other.words[span]).map(|(a, b)| u64::from((a & b).count_ones())).sum()
    }

    /// The members in increasing order.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.words.iter().enumerate().flat_map(|(i, &w)| ones(i, w))
    }

    /// The members in increasing order, consuming the set (lazily: taking a few costs only the words read).
    pub fn into_ones(self) -> impl Iterator<Item = u32> {
        self.words.into_iter().enumerate().flat_map(|(i, w)| ones(i, w))
    }
}

/// The set bits of the `i`-th word, as document numbers.
fn ones(i: usize, mut w: u64) -> impl Iterator<Item = u32> {
    let base = (i * 64) as u32;
    std::iter::from_fn(move || {
        if w == 0 {
            return None;
        }
        let bit = w.trailing_zeros();
        w &= w - 1;
        Some(base + bit)
    })
}

#[cfg(test)]
mod tests {
    use super::Bitset;

    #[test]
    fn set_operations_and_counts() {
        let a = Bitset::from_sorted(130, &[0, 5, 64, 129]);
        let b = Bitset::from_sorted(130, &[5, 64, 100]);
        let mut c = a.clone();
        c.and_with(&b);
        assert_eq!(c.iter().collect::<Vec<_>>(), vec![5, 64]);
        assert_eq!(a.count_and(&b), 2);
        let mut d = a.clone();
        d.or_with(&b);
        assert_eq!(d.count(), 5);
        d.and_not_with(&b);
        assert_eq!(d.iter().collect::<Vec<_>>(), vec![0, 129]);
        assert_eq!(Bitset::full(130).count(), 130, "no bit beyond the length");
        assert_eq!(Bitset::full(130).count_and(&a), 4);
        assert_eq!(a.clone().into_ones().collect::<Vec<_>>(), a.iter().collect::<Vec<_>>());
        let mut walked = Vec::new();
        a.for_each(|d| walked.push(d));
        assert_eq!(walked, a.iter().collect::<Vec<_>>());
        assert_eq!(a.span(), 0..3);
        assert_eq!(b.span(), 0..2);
        assert_eq!(Bitset::from_sorted(300, &[130, 200]).span(), 2..4);
        assert_eq!(Bitset::empty(300).span(), 0..0);
        assert_eq!(Bitset::full(300).count_and_in(&b, b.span()), 3);
    }
}
