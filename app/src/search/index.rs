//! The in-memory establishment index: every centre and site as a document, an inverted index of folded words,
//! SIRET and SIREN maps, and one bitset per facet value. A query is a handful of bitset operations: word matches
//! are ORed per query word and ANDed across words, facet filters are ORed within a facet and ANDed across facets,
//! and every facet count is a popcount of « query ∧ the other facets' filters ∧ this value ». Documents are kept
//! in A–Z order, so a bitset iterated in order is already sorted.
//!
//! Pure data structure: no database, no clock. `super` loads it and keeps it fresh.

use std::collections::HashMap;

use super::bitset::Bitset;
use crate::domain::recherche::{EtatAgrement, FACETTE_VISIBLES, FacetKey, PAGE, Portee, Recherche, Tri};
use crate::domain::text::normalize;
use crate::dto::{Facet, FacetValue};

/// At most this many words of a query are matched (a longer query is almost always a pasted paragraph).
pub const MAX_TERMS: usize = 8;
/// Words of at least this many letters tolerate one typo.
pub const TYPO_MIN_CHARS: usize = 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Centre,
    Site,
}

/// One centre or site, with what the results show and what the facets filter on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Doc {
    pub kind: Kind,
    pub id: i32,
    /// The centre itself, or the site's centre.
    pub centre_id: i32,
    /// Raison sociale of a centre, name of a site.
    pub title: String,
    /// The raison sociale of the site's centre (a centre's own for a centre).
    pub centre_raison_sociale: String,
    /// The SIRET of the centre (a site's centre's).
    pub siret: String,
    pub adresse: String,
    pub code_postal: String,
    pub commune: String,
    pub departement: String,
    pub region: String,
    /// The centre's type and réseau (a site's centre's).
    pub type_centre: Option<i32>,
    pub reseau: Option<i32>,
    /// Titres with an agrément on the site (on any of a centre's sites), sorted.
    pub titres: Vec<i32>,
    pub agrement_en_cours: bool,
    pub agrement_termine: bool,
}

impl Doc {
    /// The words a query matches in, as (title words, other words).
    fn words(&self) -> (String, String) {
        let title = normalize(&self.title);
        let other = match self.kind {
            Kind::Centre => normalize(&format!("{} {}", self.siret, self.commune)),
            Kind::Site => normalize(&format!("{} {}", self.centre_raison_sociale, self.commune)),
        };
        (title, other)
    }
}

/// Labels of facet values, loaded with the documents.
#[derive(Clone, Debug, Default)]
pub struct Labels {
    pub regions: Vec<(String, String)>,
    pub departements: Vec<(String, String)>,
    pub types_centre: Vec<(i32, String)>,
    pub reseaux: Vec<(i32, String)>,
    /// (id, code, libellé)
    pub titres: Vec<(i32, String, String)>,
}

/// The documents holding one word: a sorted list, or a bitset when the word is common.
enum Posting {
    Sparse(Vec<u32>),
    Dense(Bitset),
}

impl Posting {
    fn new(docs: Vec<u32>, n: usize) -> Self {
        if docs.len() * 32 > n { Posting::Dense(Bitset::from_sorted(n, &docs)) } else { Posting::Sparse(docs) }
    }

    fn add_to(&self, set: &mut Bitset) {
        match self {
            Posting::Sparse(docs) => docs.iter().for_each(|&d| set.insert(d)),
            Posting::Dense(bits) => set.or_with(bits),
        }
    }
}

struct FacetValues {
    key: FacetKey,
    /// (value in the URL, label, documents), in display order.
    values: Vec<(String, String, Bitset)>,
    /// The same, per document (compressed rows: the values of document `d` are
    /// `doc_values[doc_offsets[d]..doc_offsets[d + 1]]`), to count a few documents without touching every bitset.
    doc_offsets: Vec<u32>,
    doc_values: Vec<u16>,
    /// For each value, the words of its set from its first document to its last: a value whose documents are
    /// numbered close together is popcounted over those words alone.
    spans: Vec<std::ops::Range<usize>>,
}

impl FacetValues {
    fn new(key: FacetKey, values: Vec<(String, String, Bitset)>, n: usize) -> Self {
        let mut per_doc = vec![0u32; n + 1];
        for (_, _, bits) in &values {
            for d in bits.iter() {
                per_doc[d as usize + 1] += 1;
            }
        }
        for i in 1..per_doc.len() {
            per_doc[i] += per_doc[i - 1];
        }
        let mut fill = per_doc.clone();
        let mut doc_values = vec![0u16; per_doc[n] as usize];
        for (v, (_, _, bits)) in values.iter().enumerate() {
            for d in bits.iter() {
                let slot = &mut fill[d as usize];
                doc_values[*slot as usize] = v as u16;
                *slot += 1;
            }
        }
        let spans = values.iter().map(|(_, _, bits)| bits.span()).collect();
        FacetValues { key, values, doc_offsets: per_doc, doc_values, spans }
    }

    /// How many documents of `base` hold each value, whichever way is cheaper for this facet: a popcount of
    /// « base ∧ value » over the words of each value's span, or a walk over `base`'s documents and the values each
    /// holds. The weights are in time, not instructions (`bench search` at ×100): a popcount word is branch-free
    /// and costs 1, a walked document about 16 and each of its values 4 (the walk branches on every document;
    /// weighted by instructions, 3 per word against 8 per document, it was chosen too often and the p95 at ×100
    /// went 3.2 → 4.1 ms). A facet with many values splitting the documents (départements, titres) is walked
    /// unless many documents match; one with a few values is popcounted unless few do (BENCHMARKS.md, « Seventh
    /// round »).
    fn counts(&self, base: &Bitset) -> Vec<u64> {
        let docs = (self.doc_offsets.len() - 1).max(1) as u64;
        let members = base.count();
        let walk = members * 16 + members * self.doc_values.len() as u64 / docs * 4;
        let popcount = self.spans.iter().map(|s| s.len() as u64).sum::<u64>();
        if walk < popcount { self.counts_by_walk(base) } else { self.counts_by_popcount(base) }
    }

    fn counts_by_walk(&self, base: &Bitset) -> Vec<u64> {
        let mut counts = vec![0u64; self.values.len()];
        base.for_each(|d| {
            let (from, to) = (self.doc_offsets[d as usize] as usize, self.doc_offsets[d as usize + 1] as usize);
            for &v in &self.doc_values[from..to] {
                counts[v as usize] += 1;
            }
        });
        counts
    }

    fn counts_by_popcount(&self, base: &Bitset) -> Vec<u64> {
        self.values.iter().zip(&self.spans).map(|((_, _, bits), span)| base.count_and_in(bits, span.clone())).collect()
    }

    fn find(&self, value: &str) -> Option<&Bitset> {
        self.values.iter().find(|(v, _, _)| v == value).map(|(_, _, b)| b)
    }
}

/// What a query gives: totals by type, the rows of the view and the facets.
pub struct Outcome<'a> {
    pub centres_total: u64,
    pub sites_total: u64,
    pub centres: Vec<&'a Doc>,
    pub sites: Vec<&'a Doc>,
    pub facets: Vec<Facet>,
}

pub struct Index {
    docs: Vec<Doc>,
    positions: HashMap<(Kind, i32), u32>,
    vocab: Vec<Box<str>>,
    anywhere: Vec<Posting>,
    in_title: Vec<Posting>,
    /// Every word of 4+ letters and each of its one-letter deletions → word numbers (typo candidates).
    deletions: HashMap<Box<str>, Vec<u32>>,
    by_siret: HashMap<String, Vec<u32>>,
    by_siren: HashMap<String, Vec<u32>>,
    centres: Bitset,
    sites: Bitset,
    /// Documents by the number of words of their title: 1, 2, … up to `TITLE_LENGTHS` and more.
    title_lengths: Vec<Bitset>,
    facets: Vec<FacetValues>,
    labels: Labels,
}

/// Title lengths told apart by the ranking; longer titles share the last group.
const TITLE_LENGTHS: usize = 8;

/// Documents holding a word: (anywhere, in the title), each sorted.
type WordPostings = (Vec<u32>, Vec<u32>);

/// The word-level view of a query.
struct Terms {
    words: Vec<String>,
    /// A SIRET (14 digits) or SIREN (9 digits), spaces removed.
    identifier: Option<String>,
}

fn parse_terms(q: &str) -> Terms {
    let compact: String = q.chars().filter(|c| !c.is_whitespace()).collect();
    if !compact.is_empty() && compact.chars().all(|c| c.is_ascii_digit()) {
        let identifier = matches!(compact.len(), 9 | 14).then(|| compact.clone());
        return Terms { words: vec![compact], identifier };
    }
    let folded = normalize(q);
    let all: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    let last = all.len().saturating_sub(1);
    // « l'AFPA », « d'Aquitaine »: an elided one-letter word before others is not a search term.
    let mut words: Vec<String> = all
        .iter()
        .enumerate()
        .filter(|(i, w)| *i == last || w.chars().count() > 1)
        .map(|(_, w)| (*w).to_owned())
        .collect();
    if words.len() > MAX_TERMS {
        words.drain(..words.len() - MAX_TERMS);
    }
    Terms { words, identifier: None }
}

/// Optimal string alignment distance, stopping early above 1: is `a` at most one edit (insertion, deletion,
/// substitution or swap of two neighbours) from `b`?
fn within_one_edit(a: &[u8], b: &[u8]) -> bool {
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let start = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[start..], &b[start..]);
    if a.is_empty() || b.is_empty() {
        return a.len() + b.len() <= 1;
    }
    a[1..] == b[1..] // substitution
        || a[1..] == *b // extra letter in a
        || *a == b[1..] // extra letter in b
        || (a.len() >= 2 && b.len() >= 2 && a[0] == b[1] && a[1] == b[0] && a[2..] == b[2..]) // swap
}

fn one_deletions(word: &str) -> impl Iterator<Item = String> + '_ {
    word.char_indices().map(move |(i, c)| {
        let mut s = String::with_capacity(word.len());
        s.push_str(&word[..i]);
        s.push_str(&word[i + c.len_utf8()..]);
        s
    })
}

/// The three sets of documents matched by one query word.
struct WordSets {
    /// Exact, prefix (last word) or within one typo, anywhere.
    any: Bitset,
    /// Exact or prefix, anywhere.
    exact: Bitset,
    /// Exact or prefix, in the title.
    title: Bitset,
}

impl Index {
    pub fn build(mut docs: Vec<Doc>, labels: Labels) -> Self {
        let mut keyed: Vec<(String, Doc)> = docs.drain(..).map(|d| (normalize(&d.title), d)).collect();
        keyed.sort_by(|(ka, a), (kb, b)| (ka, a.kind, a.id).cmp(&(kb, b.kind, b.id)));
        let docs: Vec<Doc> = keyed.into_iter().map(|(_, d)| d).collect();
        let n = docs.len();

        let mut words: HashMap<String, WordPostings> = HashMap::new();
        let mut by_siret: HashMap<String, Vec<u32>> = HashMap::new();
        let mut by_siren: HashMap<String, Vec<u32>> = HashMap::new();
        let mut positions = HashMap::with_capacity(n);
        let mut centres = Bitset::empty(n);
        let mut sites = Bitset::empty(n);
        let mut title_lengths = vec![Bitset::empty(n); TITLE_LENGTHS];
        for (pos, doc) in docs.iter().enumerate() {
            let pos = pos as u32;
            positions.insert((doc.kind, doc.id), pos);
            match doc.kind {
                Kind::Centre => centres.insert(pos),
                Kind::Site => sites.insert(pos),
            }
            by_siret.entry(doc.siret.clone()).or_default().push(pos);
            if doc.siret.len() == 14 {
                by_siren.entry(doc.siret[..9].to_owned()).or_default().push(pos);
            }
            let (title, other) = doc.words();
            let title_words: Vec<&str> = title.split(' ').filter(|w| !w.is_empty()).collect();
            title_lengths[title_words.len().clamp(1, TITLE_LENGTHS) - 1].insert(pos);
            for w in title_words {
                let entry = words.entry(w.to_owned()).or_default();
                if entry.1.last() != Some(&pos) {
                    entry.1.push(pos);
                }
                if entry.0.last() != Some(&pos) {
                    entry.0.push(pos);
                }
            }
            for w in other.split(' ').filter(|w| !w.is_empty()) {
                let entry = words.entry(w.to_owned()).or_default();
                if entry.0.last() != Some(&pos) {
                    entry.0.push(pos);
                }
            }
        }
        let mut sorted: Vec<(String, WordPostings)> = words.into_iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        let mut vocab = Vec::with_capacity(sorted.len());
        let mut anywhere = Vec::with_capacity(sorted.len());
        let mut in_title = Vec::with_capacity(sorted.len());
        let mut deletions: HashMap<Box<str>, Vec<u32>> = HashMap::new();
        for (i, (word, (any, title))) in sorted.into_iter().enumerate() {
            if word.chars().count() >= TYPO_MIN_CHARS - 1 && !word.bytes().all(|b| b.is_ascii_digit()) {
                deletions.entry(word.as_str().into()).or_default().push(i as u32);
                for d in one_deletions(&word) {
                    let ids = deletions.entry(d.into()).or_default();
                    if ids.last() != Some(&(i as u32)) {
                        ids.push(i as u32);
                    }
                }
            }
            vocab.push(word.into_boxed_str());
            anywhere.push(Posting::new(any, n));
            in_title.push(Posting::new(title, n));
        }

        let facets = FacetKey::ALL.iter().map(|&key| facet_values(key, &docs, &labels)).collect();
        Index {
            docs,
            positions,
            vocab,
            anywhere,
            in_title,
            deletions,
            by_siret,
            by_siren,
            centres,
            sites,
            title_lengths,
            facets,
            labels,
        }
    }

    pub fn docs(&self) -> &[Doc] {
        &self.docs
    }

    pub fn labels(&self) -> &Labels {
        &self.labels
    }

    pub fn doc(&self, kind: Kind, id: i32) -> Option<&Doc> {
        self.positions.get(&(kind, id)).map(|&p| &self.docs[p as usize])
    }

    /// Word numbers whose word starts with `prefix`.
    fn prefix_range(&self, prefix: &str) -> std::ops::Range<usize> {
        let start = self.vocab.partition_point(|w| &**w < prefix);
        let end = start + self.vocab[start..].partition_point(|w| w.starts_with(prefix));
        start..end
    }

    fn word_sets(&self, word: &str, prefix: bool) -> WordSets {
        let n = self.docs.len();
        let mut exact_ids: Vec<usize> = if prefix {
            self.prefix_range(word).collect()
        } else {
            self.vocab.binary_search_by(|w| (**w).cmp(word)).ok().into_iter().collect()
        };
        exact_ids.sort_unstable();
        let mut typo_ids: Vec<usize> = Vec::new();
        if word.chars().count() >= TYPO_MIN_CHARS && !word.bytes().all(|b| b.is_ascii_digit()) {
            let keys = std::iter::once(word.to_owned()).chain(one_deletions(word));
            for key in keys {
                for &id in self.deletions.get(key.as_str()).map_or(&[][..], Vec::as_slice) {
                    let id = id as usize;
                    if exact_ids.binary_search(&id).is_err()
                        && !typo_ids.contains(&id)
                        && within_one_edit(word.as_bytes(), self.vocab[id].as_bytes())
                    {
                        typo_ids.push(id);
                    }
                }
            }
        }
        let mut exact = Bitset::empty(n);
        let mut title = Bitset::empty(n);
        for &id in &exact_ids {
            self.anywhere[id].add_to(&mut exact);
            self.in_title[id].add_to(&mut title);
        }
        let mut any = exact.clone();
        for &id in &typo_ids {
            self.anywhere[id].add_to(&mut any);
        }
        WordSets { any, exact, title }
    }

    /// The documents the text matches, and the ranking tiers (best first), before any filter.
    fn text_match(&self, q: &str, tri: Tri) -> (Bitset, Vec<Bitset>) {
        let n = self.docs.len();
        let terms = parse_terms(q);
        if terms.words.is_empty() {
            return (Bitset::full(n), Vec::new());
        }
        let mut any = Bitset::full(n);
        let mut exact = Bitset::full(n);
        let mut title = Bitset::full(n);
        let last = terms.words.len() - 1;
        for (i, w) in terms.words.iter().enumerate() {
            let sets = self.word_sets(w, i == last);
            any.and_with(&sets.any);
            exact.and_with(&sets.exact);
            title.and_with(&sets.title);
        }
        let mut tiers = Vec::new();
        if let Some(id) = &terms.identifier {
            let pinned = if id.len() == 14 { self.by_siret.get(id) } else { self.by_siren.get(id) };
            let pinned = Bitset::from_sorted(n, pinned.map_or(&[][..], Vec::as_slice));
            any.or_with(&pinned);
            tiers.push(pinned);
        }
        if tri == Tri::Pertinence {
            // Titles holding every word come first, the shortest first: « FCMB- Floirac » before « Antenne de
            // Floirac » for « floirac », the query being more of the first title. Same length: A–Z.
            for length in &self.title_lengths {
                let mut tier = title.clone();
                tier.and_with(length);
                tiers.push(tier);
            }
            tiers.push(exact);
        }
        (any, tiers)
    }

    fn filter(&self, r: &Recherche, key: FacetKey) -> Option<Bitset> {
        let selected = r.selected(key);
        if selected.is_empty() {
            return None;
        }
        let facet = self.facets.iter().find(|f| f.key == key)?;
        let mut set = Bitset::empty(self.docs.len());
        for v in selected {
            if let Some(bits) = facet.find(v) {
                set.or_with(bits);
            }
        }
        Some(set)
    }

    /// Document positions of the result, in rank order, for one type. Each tier's layer is worked out when the
    /// one before it is used up, so a page of three or twenty results rarely costs more than the first tiers.
    fn ranked<'a>(&'a self, result: &'a Bitset, tiers: &'a [Bitset], kind: Kind) -> impl Iterator<Item = u32> + 'a {
        let kind_set = match kind {
            Kind::Centre => &self.centres,
            Kind::Site => &self.sites,
        };
        let mut rest = result.clone();
        rest.and_with(kind_set);
        let mut remaining = Some(rest);
        let mut tiers = tiers.iter();
        std::iter::from_fn(move || {
            let rest = remaining.as_mut()?;
            match tiers.next() {
                Some(tier) => {
                    let mut layer = rest.clone();
                    layer.and_with(tier);
                    rest.and_not_with(&layer);
                    Some(layer)
                }
                None => remaining.take(),
            }
        })
        .flat_map(Bitset::into_ones)
    }

    fn ranked_docs(&self, result: &Bitset, tiers: &[Bitset], kind: Kind, skip: usize, take: usize) -> Vec<&Doc> {
        self.ranked(result, tiers, kind).skip(skip).take(take).map(|p| &self.docs[p as usize]).collect()
    }

    /// The text match with every filter applied (the scope included), and the ranking tiers.
    fn filtered(&self, r: &Recherche) -> (Bitset, Vec<Bitset>) {
        let (mut result, tiers) = self.text_match(&r.q, r.tri);
        for f in FacetKey::ALL.iter().filter_map(|&k| self.filter(r, k)) {
            result.and_with(&f);
        }
        (result, tiers)
    }

    pub fn search(&self, r: &Recherche) -> Outcome<'_> {
        let (text, tiers) = self.text_match(&r.q, r.tri);
        let filters: Vec<(FacetKey, Option<Bitset>)> = FacetKey::ALL.iter().map(|&k| (k, self.filter(r, k))).collect();
        let scope = match r.portee {
            Portee::Tout => None,
            Portee::Centres => Some(&self.centres),
            Portee::Sites => Some(&self.sites),
        };

        // Every filter but the scope: the « Type de résultat » counts.
        let mut all_filters = text.clone();
        for f in filters.iter().filter_map(|(_, f)| f.as_ref()) {
            all_filters.and_with(f);
        }
        let centres_total = all_filters.count_and(&self.centres);
        let sites_total = all_filters.count_and(&self.sites);

        let facets = self
            .facets
            .iter()
            .map(|facet| {
                // This facet's counts: the text, the scope and every other facet's filter.
                let mut base = text.clone();
                for (key, f) in &filters {
                    if let (true, Some(f)) = (*key != facet.key, f) {
                        base.and_with(f);
                    }
                }
                if let Some(scope) = scope {
                    base.and_with(scope);
                }
                let selected = r.selected(facet.key);
                // Every value is counted; only those shown are written out (with their labels).
                let counts = facet.counts(&base);
                let listed: Vec<(usize, u64, bool)> = counts
                    .into_iter()
                    .enumerate()
                    .map(|(i, count)| (i, count, selected.contains(&facet.values[i].0)))
                    .filter(|&(_, count, chosen)| count > 0 || chosen)
                    .collect();
                let open = r.ouvertes.contains(&facet.key)
                    || listed.iter().skip(FACETTE_VISIBLES).any(|&(_, _, chosen)| chosen);
                let shown = if open { listed.len() } else { listed.len().min(FACETTE_VISIBLES) };
                let mut values: Vec<FacetValue> = listed[..shown]
                    .iter()
                    .map(|&(i, count, chosen)| {
                        let (value, label, _) = &facet.values[i];
                        FacetValue { value: value.clone(), label: label.clone(), count, selected: chosen }
                    })
                    .collect();
                // A selected value the index no longer knows stays visible, so that it can be unselected.
                for s in selected.iter().filter(|s| facet.find(s).is_none()) {
                    values.push(FacetValue { value: s.clone(), label: s.clone(), count: 0, selected: true });
                }
                Facet { key: facet.key, values, autres: (listed.len() - shown) as u32 }
            })
            .collect();

        let (centres, sites) = match r.portee {
            Portee::Tout => (
                self.ranked_docs(&all_filters, &tiers, Kind::Centre, 0, r.voir_centres as usize),
                self.ranked_docs(&all_filters, &tiers, Kind::Site, 0, r.voir_sites as usize),
            ),
            Portee::Centres => {
                let skip = (r.page as usize - 1) * PAGE as usize;
                (self.ranked_docs(&all_filters, &tiers, Kind::Centre, skip, PAGE as usize), Vec::new())
            }
            Portee::Sites => {
                let skip = (r.page as usize - 1) * PAGE as usize;
                (Vec::new(), self.ranked_docs(&all_filters, &tiers, Kind::Site, skip, PAGE as usize))
            }
        };
        Outcome { centres_total, sites_total, centres, sites, facets }
    }

    /// Every result of the search in its scope, centres then sites, each in rank order (the CSV export).
    pub fn all_results(&self, r: &Recherche) -> Vec<&Doc> {
        let (result, tiers) = self.filtered(r);
        let kinds: &[Kind] = match r.portee {
            Portee::Tout => &[Kind::Centre, Kind::Site],
            Portee::Centres => &[Kind::Centre],
            Portee::Sites => &[Kind::Site],
        };
        kinds.iter().flat_map(|&k| self.ranked(&result, &tiers, k).map(|p| &self.docs[p as usize])).collect()
    }
}

fn facet_values(key: FacetKey, docs: &[Doc], labels: &Labels) -> FacetValues {
    let n = docs.len();
    let collect = |pick: &dyn Fn(&Doc) -> bool| {
        let mut bits = Bitset::empty(n);
        for (pos, d) in docs.iter().enumerate() {
            if pick(d) {
                bits.insert(pos as u32);
            }
        }
        bits
    };
    // One pass per facet: group document positions by value.
    fn grouped<K: std::hash::Hash + Eq + Clone>(docs: &[Doc], values: impl Fn(&Doc) -> Vec<K>) -> HashMap<K, Vec<u32>> {
        let mut map: HashMap<K, Vec<u32>> = HashMap::new();
        for (pos, d) in docs.iter().enumerate() {
            for v in values(d) {
                map.entry(v).or_default().push(pos as u32);
            }
        }
        map
    }
    let values: Vec<(String, String, Bitset)> = match key {
        FacetKey::Region => {
            let g = grouped(docs, |d| vec![d.region.clone()]);
            let mut v: Vec<_> = labels
                .regions
                .iter()
                .filter_map(|(code, label)| {
                    g.get(code).map(|p| (code.clone(), label.clone(), Bitset::from_sorted(n, p)))
                })
                .collect();
            v.sort_by(|a, b| a.1.cmp(&b.1));
            v
        }
        FacetKey::Departement => {
            let g = grouped(docs, |d| vec![d.departement.clone()]);
            labels
                .departements
                .iter()
                .filter_map(|(code, label)| {
                    g.get(code).map(|p| (code.clone(), format!("{code} - {label}"), Bitset::from_sorted(n, p)))
                })
                .collect()
        }
        FacetKey::TypeCentre => {
            let g = grouped(docs, |d| d.type_centre.into_iter().collect());
            let mut v: Vec<_> = labels
                .types_centre
                .iter()
                .filter_map(|(id, label)| g.get(id).map(|p| (id.to_string(), label.clone(), Bitset::from_sorted(n, p))))
                .collect();
            v.sort_by(|a, b| a.1.cmp(&b.1));
            v
        }
        FacetKey::Reseau => {
            let g = grouped(docs, |d| d.reseau.into_iter().collect());
            let mut v: Vec<_> = labels
                .reseaux
                .iter()
                .filter_map(|(id, label)| g.get(id).map(|p| (id.to_string(), label.clone(), Bitset::from_sorted(n, p))))
                .collect();
            v.sort_by(|a, b| a.1.cmp(&b.1));
            v
        }
        FacetKey::Titre => {
            let g = grouped(docs, |d| d.titres.clone());
            let mut v: Vec<_> = labels
                .titres
                .iter()
                .filter_map(|(id, code, libelle)| {
                    g.get(id).map(|p| (code.clone(), format!("{libelle} ({code})"), Bitset::from_sorted(n, p)))
                })
                .collect();
            v.sort_by(|a, b| a.1.cmp(&b.1));
            v
        }
        FacetKey::Agrement => EtatAgrement::ALL
            .iter()
            .map(|&e| {
                let bits = collect(&|d: &Doc| match e {
                    EtatAgrement::EnCours => d.agrement_en_cours,
                    EtatAgrement::Termine => d.agrement_termine,
                });
                (e.code().to_owned(), e.label().to_owned(), bits)
            })
            .collect(),
    };
    FacetValues::new(key, values, n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::recherche::Portee;

    fn centre(id: i32, name: &str, siret: &str, commune: &str, dep: &str, reg: &str) -> Doc {
        Doc {
            kind: Kind::Centre,
            id,
            centre_id: id,
            title: name.into(),
            centre_raison_sociale: name.into(),
            siret: siret.into(),
            adresse: "1 rue de la Paix".into(),
            code_postal: format!("{dep}000"),
            commune: commune.into(),
            departement: dep.into(),
            region: reg.into(),
            type_centre: Some(1),
            reseau: None,
            titres: vec![],
            agrement_en_cours: false,
            agrement_termine: false,
        }
    }

    fn site(id: i32, name: &str, of: &Doc, commune: &str, dep: &str, reg: &str, titres: Vec<i32>) -> Doc {
        Doc {
            kind: Kind::Site,
            id,
            centre_id: of.id,
            title: name.into(),
            centre_raison_sociale: of.title.clone(),
            siret: of.siret.clone(),
            commune: commune.into(),
            departement: dep.into(),
            region: reg.into(),
            titres,
            agrement_en_cours: true,
            ..of.clone()
        }
    }

    fn labels() -> Labels {
        Labels {
            regions: vec![("75".into(), "Nouvelle-Aquitaine".into()), ("52".into(), "Pays de la Loire".into())],
            departements: vec![("33".into(), "Gironde".into()), ("44".into(), "Loire-Atlantique".into())],
            types_centre: vec![(1, "Organisme de formation".into())],
            reseaux: vec![],
            titres: vec![(7, "TP-01318".into(), "Maçon".into()), (8, "TP-00402".into(), "Plombier".into())],
        }
    }

    fn index() -> Index {
        let reprise = centre(1, "CENTRE DE REPRISE", "11000000000014", "Paris", "33", "75");
        let afpa = centre(2, "AFPA", "82422814200010", "Saint-Nazaire", "44", "52");
        let fcmb = site(10, "FCMB- Floirac", &reprise, "Floirac", "33", "75", vec![7]);
        let nazaire = site(11, "Centre AFPA de Saint Nazaire", &afpa, "Saint-Nazaire", "44", "52", vec![7, 8]);
        let floirac_centre = centre(3, "FEDERATION COMPAGNONNIQUE FLOIRAC", "78184280200048", "Floirac", "33", "75");
        Index::build(vec![reprise, afpa, fcmb, nazaire, floirac_centre], labels())
    }

    fn titles(docs: &[&Doc]) -> Vec<String> {
        docs.iter().map(|d| d.title.clone()).collect()
    }

    fn search(ix: &Index, q: &str) -> (Vec<String>, Vec<String>) {
        let r = Recherche::default().with_query(q);
        let o = ix.search(&r);
        (titles(&o.centres), titles(&o.sites))
    }

    #[test]
    fn words_in_any_order_accents_case_and_elisions() {
        let ix = index();
        assert_eq!(search(&ix, "l'AFPA").0, vec!["AFPA"]);
        assert_eq!(search(&ix, "nazaire SAINT").1, vec!["Centre AFPA de Saint Nazaire"]);
        assert_eq!(search(&ix, "Saint-Nazaire").0, vec!["AFPA"]);
        assert_eq!(search(&ix, "FÉDÉRATION").0, vec!["FEDERATION COMPAGNONNIQUE FLOIRAC"]);
    }

    #[test]
    fn the_last_word_is_a_prefix_and_one_typo_is_tolerated_from_five_letters() {
        let ix = index();
        assert_eq!(search(&ix, "flo").1, vec!["FCMB- Floirac"]);
        assert_eq!(search(&ix, "floriac").1, vec!["FCMB- Floirac"], "swapped letters");
        assert_eq!(search(&ix, "floirak").1, vec!["FCMB- Floirac"], "wrong letter");
        assert!(search(&ix, "afpz").0.is_empty(), "no typo below five letters");
        assert!(search(&ix, "flairac reprise").0.is_empty(), "every word must match");
    }

    #[test]
    fn a_site_matches_on_its_centre_name_and_a_centre_on_its_siret() {
        let ix = index();
        assert_eq!(search(&ix, "reprise").1, vec!["FCMB- Floirac"]);
        assert_eq!(search(&ix, "781842").0, vec!["FEDERATION COMPAGNONNIQUE FLOIRAC"]);
    }

    #[test]
    fn a_siret_or_siren_puts_its_centre_and_sites_first() {
        let ix = index();
        let (centres, sites) = search(&ix, "824 228 142 00010");
        assert_eq!(centres, vec!["AFPA"]);
        assert_eq!(sites, vec!["Centre AFPA de Saint Nazaire"]);
        assert_eq!(search(&ix, "824228142").1, vec!["Centre AFPA de Saint Nazaire"]);
    }

    #[test]
    fn relevance_puts_title_matches_before_other_matches() {
        let ix = index();
        let r = Recherche::default().with_query("floirac");
        let o = ix.search(&r);
        assert_eq!(titles(&o.centres), vec!["FEDERATION COMPAGNONNIQUE FLOIRAC"]);
        let r = Recherche::default().with_query("afpa").with_portee(Portee::Sites);
        assert_eq!(titles(&ix.search(&r).sites), vec!["Centre AFPA de Saint Nazaire"]);
    }

    #[test]
    fn relevance_puts_the_shorter_of_two_matching_titles_first() {
        let reprise = centre(1, "CENTRE DE REPRISE", "11000000000014", "Paris", "33", "75");
        let other = centre(2, "ASSOCIATION INSERTION", "82422814200010", "Floirac", "33", "75");
        let docs = vec![
            site(10, "FCMB- Floirac", &reprise, "Floirac", "33", "75", vec![]),
            site(11, "Antenne de Floirac", &other, "Floirac", "33", "75", vec![]),
            site(12, "ASSOCIATION INSERTION Floirac Centre", &other, "Floirac", "33", "75", vec![]),
            site(13, "Centre de Floirac", &other, "Floirac", "33", "75", vec![]),
            site(14, "Bordeaux Lac", &other, "Floirac", "33", "75", vec![]),
            reprise,
            other,
        ];
        let ix = Index::build(docs, labels());
        let r = Recherche::default().with_query("floirac").with_portee(Portee::Sites);
        assert_eq!(
            titles(&ix.search(&r).sites),
            vec![
                "FCMB- Floirac",
                "Antenne de Floirac",
                "Centre de Floirac",
                "ASSOCIATION INSERTION Floirac Centre",
                "Bordeaux Lac"
            ],
            "title matches by length then A–Z, then the site found by its commune"
        );
        let r = r.with_tri(Tri::Alphabetique);
        assert_eq!(titles(&ix.search(&r).sites)[0], "Antenne de Floirac", "A–Z stays A–Z");
    }

    #[test]
    fn facets_count_with_the_query_and_the_other_facets() {
        let ix = index();
        let r = Recherche::default();
        let o = ix.search(&r);
        assert_eq!((o.centres_total, o.sites_total), (3, 2));
        let region = o.facets.iter().find(|f| f.key == FacetKey::Region).expect("région facet");
        let counts: Vec<(String, u64)> = region.values.iter().map(|v| (v.value.clone(), v.count)).collect();
        assert_eq!(counts, vec![("75".to_owned(), 3), ("52".to_owned(), 2)]);

        // Choosing a région narrows the results and the other facets, not the région facet itself.
        let r = r.toggled(FacetKey::Region, "52");
        let o = ix.search(&r);
        assert_eq!((o.centres_total, o.sites_total), (1, 1));
        let region = o.facets.iter().find(|f| f.key == FacetKey::Region).expect("région facet");
        assert_eq!(region.values.iter().map(|v| v.count).collect::<Vec<_>>(), vec![3, 2]);
        assert!(region.values[1].selected);
        let titre = o.facets.iter().find(|f| f.key == FacetKey::Titre).expect("titre facet");
        let counts: Vec<(String, u64)> = titre.values.iter().map(|v| (v.value.clone(), v.count)).collect();
        assert_eq!(counts, vec![("TP-01318".to_owned(), 1), ("TP-00402".to_owned(), 1)]);

        // Two values of one facet: either; a titre: only sites (and centres) holding it.
        let r = Recherche::default().toggled(FacetKey::Titre, "TP-00402").toggled(FacetKey::Titre, "TP-01318");
        assert_eq!(ix.search(&r).sites_total, 2);
        let r = Recherche::default().toggled(FacetKey::Titre, "TP-00402");
        assert_eq!(titles(&ix.search(&r).sites), vec!["Centre AFPA de Saint Nazaire"]);
        let r = Recherche::default().toggled(FacetKey::Agrement, "en-cours");
        assert_eq!(ix.search(&r).centres_total, 0);
    }

    #[test]
    fn sparse_and_dense_counts_agree() {
        let ix = index();
        let n = ix.docs.len();
        let every_other = Bitset::from_sorted(n, &(0..n as u32).step_by(2).collect::<Vec<_>>());
        for base in [Bitset::full(n), every_other, Bitset::from_sorted(n, &[1]), Bitset::empty(n)] {
            for facet in &ix.facets {
                let dense: Vec<u64> = facet.values.iter().map(|(_, _, b)| base.count_and(b)).collect();
                assert_eq!(facet.counts_by_popcount(&base), dense, "{:?}", facet.key);
                assert_eq!(facet.counts_by_walk(&base), dense, "{:?}", facet.key);
                assert_eq!(facet.counts(&base), dense, "{:?}", facet.key);
            }
        }
    }

    #[test]
    fn scope_paging_and_sort() {
        let ix = index();
        let r = Recherche::default().with_portee(Portee::Centres).with_tri(Tri::Alphabetique);
        let o = ix.search(&r);
        assert_eq!(titles(&o.centres), vec!["AFPA", "CENTRE DE REPRISE", "FEDERATION COMPAGNONNIQUE FLOIRAC"]);
        assert!(o.sites.is_empty());
        assert_eq!(o.sites_total, 2, "the other type's count stays visible");
        let r = Recherche { voir_centres: 1, ..Default::default() };
        assert_eq!(ix.search(&r).centres.len(), 1);
        let o = ix.search(&r.with_portee(Portee::Centres).with_page(2));
        assert!(o.centres.is_empty());
        assert_eq!(ix.all_results(&Recherche::default()).len(), 5);
    }

    #[test]
    fn one_edit_distance() {
        assert!(within_one_edit(b"floirac", b"floriac"));
        assert!(within_one_edit(b"floirac", b"floirak"));
        assert!(within_one_edit(b"floirac", b"floiracs"));
        assert!(within_one_edit(b"floirac", b"floirac"));
        assert!(!within_one_edit(b"floirac", b"flaurac"));
        assert!(!within_one_edit(b"floirac", b"lforiac"));
    }
}
