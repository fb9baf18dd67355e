//! The state of an establishment search, as the URL of /etablissements holds it: read from the query string by the
//! server and by the browser alike, written back into links and into the address bar. One codec, so that a URL
//! shared, reloaded or opened without JavaScript gives the same page.

use serde::{Deserialize, Serialize};

/// « Tout | Centres | Sites » (and the « Type de résultat » facet, which is the same choice).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, Hash)]
pub enum Portee {
    #[default]
    Tout,
    Centres,
    Sites,
}

impl Portee {
    pub const ALL: [Portee; 3] = [Portee::Tout, Portee::Centres, Portee::Sites];

    pub fn code(self) -> &'static str {
        match self {
            Portee::Tout => "tout",
            Portee::Centres => "centres",
            Portee::Sites => "sites",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Portee::Tout => "Tout",
            Portee::Centres => "Centres",
            Portee::Sites => "Sites",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == s)
    }
}

/// « Pertinence » or « A–Z ».
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, Hash)]
pub enum Tri {
    #[default]
    Pertinence,
    Alphabetique,
}

impl Tri {
    /// The sort of a URL or of the sort list: « A–Z » for its code, relevance for anything else.
    pub fn parse(s: &str) -> Self {
        if s == Tri::Alphabetique.code() { Tri::Alphabetique } else { Tri::Pertinence }
    }

    pub fn code(self) -> &'static str {
        match self {
            Tri::Pertinence => "pertinence",
            Tri::Alphabetique => "az",
        }
    }
}

/// The « Agrément » facet: establishments with an agrément in force, or with one that has ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash, PartialOrd, Ord)]
pub enum EtatAgrement {
    EnCours,
    Termine,
}

impl EtatAgrement {
    pub const ALL: [EtatAgrement; 2] = [EtatAgrement::EnCours, EtatAgrement::Termine];

    pub fn code(self) -> &'static str {
        match self {
            EtatAgrement::EnCours => "en-cours",
            EtatAgrement::Termine => "termine",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EtatAgrement::EnCours => "Agrément en cours",
            EtatAgrement::Termine => "Agrément terminé",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.code() == s)
    }
}

/// The filterable facets, in the order the page shows them. The parameter name is the one in the URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
pub enum FacetKey {
    Region,
    Departement,
    TypeCentre,
    Reseau,
    Titre,
    Agrement,
}

impl FacetKey {
    pub const ALL: [FacetKey; 6] = [
        FacetKey::Region,
        FacetKey::Departement,
        FacetKey::TypeCentre,
        FacetKey::Reseau,
        FacetKey::Titre,
        FacetKey::Agrement,
    ];

    pub fn param(self) -> &'static str {
        match self {
            FacetKey::Region => "region",
            FacetKey::Departement => "departement",
            FacetKey::TypeCentre => "type",
            FacetKey::Reseau => "reseau",
            FacetKey::Titre => "titre",
            FacetKey::Agrement => "agrement",
        }
    }

    /// The facet whose URL parameter is `param`.
    pub fn from_param(param: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.param() == param)
    }

    pub fn label(self) -> &'static str {
        match self {
            FacetKey::Region => "Région",
            FacetKey::Departement => "Département",
            FacetKey::TypeCentre => "Type de centre",
            FacetKey::Reseau => "Réseau",
            FacetKey::Titre => "Titre agréé",
            FacetKey::Agrement => "Agrément",
        }
    }
}

/// How many results of each type the « Tout » view shows before « VOIR PLUS ».
pub const APERCU: u32 = 3;
/// How many more each « VOIR PLUS » adds.
pub const VOIR_PLUS: u32 = 10;
/// Results per page in the « Centres » or « Sites » view.
pub const PAGE: u32 = 20;
/// The most results one « Tout » group shows (beyond, « VOIR TOUT » pages through them).
pub const VOIR_MAX: u32 = 100;
/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 200;
/// Most values accepted for one facet in one query.
pub const MAX_FACET_VALUES: usize = 50;
/// Highest page number accepted.
pub const MAX_PAGE: u32 = 10_000;
/// Values of a facet shown before « Afficher N de plus » (unless the facet is open, or a value beyond is selected).
pub const FACETTE_VISIBLES: usize = 6;

/// Everything that decides a search page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Hash)]
pub struct Recherche {
    pub q: String,
    pub portee: Portee,
    pub tri: Tri,
    /// Selected values per facet, each list sorted and without duplicates.
    pub filtres: Vec<(FacetKey, Vec<String>)>,
    /// How many centres and how many sites the « Tout » view shows.
    pub voir_centres: u32,
    pub voir_sites: u32,
    /// 1-based page of the « Centres » or « Sites » view.
    pub page: u32,
    /// Facets shown in full (« Afficher N de plus » followed); the others show their first values only, and the
    /// search sends no more of them: most of a page's data would be values nobody opened.
    #[serde(default)]
    pub ouvertes: Vec<FacetKey>,
}

impl Default for Recherche {
    fn default() -> Self {
        Self {
            q: String::new(),
            portee: Portee::Tout,
            tri: Tri::Pertinence,
            filtres: Vec::new(),
            voir_centres: APERCU,
            voir_sites: APERCU,
            page: 1,
            ouvertes: Vec::new(),
        }
    }
}

fn number(values: &[String], default: u32, max: u32) -> u32 {
    values.first().and_then(|v| v.trim().parse::<u32>().ok()).map_or(default, |n| n.clamp(1, max))
}

impl Recherche {
    /// Reads the state from query parameters (`get_all(name)` gives every value of a parameter, in order).
    /// Unknown or malformed values are ignored rather than refused: a hand-edited URL still gives a page.
    pub fn from_params(get_all: impl Fn(&str) -> Vec<String>) -> Self {
        let mut r = Recherche {
            q: get_all("q").into_iter().next().unwrap_or_default().chars().take(MAX_QUERY_CHARS).collect(),
            ..Default::default()
        };
        r.portee = get_all("portee").first().and_then(|p| Portee::parse(p)).unwrap_or_default();
        r.tri = get_all("tri").first().map_or(Tri::Pertinence, |t| Tri::parse(t));
        for key in FacetKey::ALL {
            let mut values: Vec<String> = get_all(key.param())
                .into_iter()
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty() && v.len() <= 32)
                .filter(|v| key != FacetKey::Agrement || EtatAgrement::parse(v).is_some())
                .collect();
            values.sort();
            values.dedup();
            values.truncate(MAX_FACET_VALUES);
            if !values.is_empty() {
                r.filtres.push((key, values));
            }
        }
        r.voir_centres = number(&get_all("voir_centres"), APERCU, VOIR_MAX);
        r.voir_sites = number(&get_all("voir_sites"), APERCU, VOIR_MAX);
        r.page = number(&get_all("page"), 1, MAX_PAGE);
        let ouvrir = get_all("ouvrir");
        r.ouvertes = FacetKey::ALL.into_iter().filter(|k| ouvrir.iter().any(|o| o == k.param())).collect();
        r
    }

    /// Reads the state from a query string (`a=1&b=x%20y`, `+` for a space; bad escapes are kept as they are).
    pub fn from_query_string(qs: &str) -> Self {
        let pairs: Vec<(String, String)> = qs
            .trim_start_matches('?')
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (percent_decode(k), percent_decode(v))
            })
            .collect();
        Self::from_params(|name| pairs.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect())
    }

    /// The selected values of a facet.
    pub fn selected(&self, key: FacetKey) -> &[String] {
        self.filtres.iter().find(|(k, _)| *k == key).map_or(&[], |(_, v)| v.as_slice())
    }

    /// The same search with `value` of `key` selected or unselected; the view goes back to its first results.
    pub fn toggled(&self, key: FacetKey, value: &str) -> Self {
        let mut next = self.first_results();
        let mut values: Vec<String> = next.selected(key).to_vec();
        if let Some(pos) = values.iter().position(|v| v == value) {
            values.remove(pos);
        } else {
            values.push(value.to_owned());
            values.sort();
        }
        next.filtres.retain(|(k, _)| *k != key);
        if !values.is_empty() {
            next.filtres.push((key, values));
            next.filtres.sort_by_key(|(k, _)| FacetKey::ALL.iter().position(|x| x == k));
        }
        next
    }

    /// The same search and filters, back to the first results (a new query or filter starts over).
    pub fn first_results(&self) -> Self {
        Self { voir_centres: APERCU, voir_sites: APERCU, page: 1, ..self.clone() }
    }

    pub fn with_query(&self, q: &str) -> Self {
        Self { q: q.chars().take(MAX_QUERY_CHARS).collect(), ..self.first_results() }
    }

    pub fn with_portee(&self, portee: Portee) -> Self {
        Self { portee, ..self.first_results() }
    }

    pub fn with_tri(&self, tri: Tri) -> Self {
        Self { tri, ..self.first_results() }
    }

    pub fn with_page(&self, page: u32) -> Self {
        Self { page: page.clamp(1, MAX_PAGE), ..self.clone() }
    }

    /// The same search with the facet `key` shown in full.
    pub fn with_open(&self, key: FacetKey) -> Self {
        let mut next = self.clone();
        if !next.ouvertes.contains(&key) {
            next.ouvertes.push(key);
            next.ouvertes.sort_by_key(|k| FacetKey::ALL.iter().position(|x| x == k));
        }
        next
    }

    /// Without any facet selected.
    pub fn without_filters(&self) -> Self {
        Self { filtres: Vec::new(), ..self.first_results() }
    }

    /// The query string (without `?`), only with what differs from the defaults, in a fixed order.
    pub fn query_string(&self) -> String {
        let mut parts: Vec<(&str, String)> = Vec::new();
        if !self.q.trim().is_empty() {
            parts.push(("q", self.q.clone()));
        }
        if self.portee != Portee::Tout {
            parts.push(("portee", self.portee.code().to_owned()));
        }
        for (key, values) in &self.filtres {
            for v in values {
                parts.push((key.param(), v.clone()));
            }
        }
        if self.tri != Tri::Pertinence {
            parts.push(("tri", self.tri.code().to_owned()));
        }
        if self.portee == Portee::Tout {
            if self.voir_centres != APERCU {
                parts.push(("voir_centres", self.voir_centres.to_string()));
            }
            if self.voir_sites != APERCU {
                parts.push(("voir_sites", self.voir_sites.to_string()));
            }
        } else if self.page != 1 {
            parts.push(("page", self.page.to_string()));
        }
        for key in &self.ouvertes {
            parts.push(("ouvrir", key.param().to_owned()));
        }
        parts.iter().map(|(k, v)| format!("{k}={}", encode_query_value(v))).collect::<Vec<_>>().join("&")
    }

    /// The URL of this search on `path` (/etablissements, or the CSV export).
    pub fn url(&self, path: &str) -> String {
        let qs = self.query_string();
        if qs.is_empty() { path.to_owned() } else { format!("{path}?{qs}") }
    }
}

/// Percent-encodes a query-string value (RFC 3986 unreserved characters kept).
pub fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(char::from(b)),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Decodes `%XX` escapes and `+`; invalid UTF-8 becomes U+FFFD.
fn percent_decode(v: &str) -> String {
    let bytes = v.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 3 <= bytes.len() => {
                match std::str::from_utf8(&bytes[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(qs: &str) -> Recherche {
        Recherche::from_query_string(qs)
    }

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(encode_query_value("l'AFPA Saint-Nazaire"), "l%27AFPA%20Saint-Nazaire");
        assert_eq!(encode_query_value("é&="), "%C3%A9%26%3D");
    }

    #[test]
    fn default_state_is_the_bare_path() {
        assert_eq!(Recherche::default().url("/etablissements"), "/etablissements");
        assert_eq!(parse(""), Recherche::default());
    }

    #[test]
    fn every_part_of_the_state_survives_a_round_trip() {
        let r = Recherche::default()
            .with_query("l'AFPA Saint-Nazaire")
            .with_portee(Portee::Sites)
            .with_tri(Tri::Alphabetique)
            .toggled(FacetKey::Region, "52")
            .toggled(FacetKey::Titre, "TP-01318")
            .toggled(FacetKey::Region, "75")
            .toggled(FacetKey::Agrement, "en-cours")
            .with_page(3);
        let url = r.url("/etablissements");
        assert_eq!(
            url,
            "/etablissements?q=l%27AFPA%20Saint-Nazaire&portee=sites&region=52&region=75&titre=TP-01318&agrement=en-cours&tri=az&page=3"
        );
        assert_eq!(parse(url.split_once('?').expect("a query string").1), r);
        let open = r.with_open(FacetKey::Titre).with_open(FacetKey::Region).with_open(FacetKey::Titre);
        let url = open.url("/etablissements");
        assert!(url.ends_with("&page=3&ouvrir=region&ouvrir=titre"), "{url}");
        assert_eq!(parse(url.split_once('?').expect("a query string").1), open);
        assert_eq!(parse("ouvrir=inconnu&ouvrir=region").ouvertes, vec![FacetKey::Region]);
    }

    #[test]
    fn toggling_twice_removes_the_filter_and_starts_over() {
        let r = Recherche { voir_centres: 13, ..Default::default() };
        let on = r.toggled(FacetKey::Departement, "33");
        assert_eq!(on.selected(FacetKey::Departement), ["33"]);
        assert_eq!(on.voir_centres, APERCU);
        assert_eq!(on.toggled(FacetKey::Departement, "33").filtres, vec![]);
    }

    #[test]
    fn malformed_parameters_are_ignored_or_bounded() {
        let r = parse("portee=nimporte&tri=x&agrement=bidon&page=-4&voir_centres=999999&region=&region=52&region=52");
        assert_eq!(r.portee, Portee::Tout);
        assert_eq!(r.tri, Tri::Pertinence);
        assert_eq!(r.selected(FacetKey::Agrement), [] as [String; 0]);
        assert_eq!(r.page, 1);
        assert_eq!(r.voir_centres, VOIR_MAX);
        assert_eq!(r.selected(FacetKey::Region), ["52"]);
        assert_eq!(parse("q=%E9t%C3%A9+%ZZ%").q, "\u{fffd}té %ZZ%", "bad escapes and bytes do not fail");
        assert_eq!(parse("?q=a+b&&=x").q, "a b");
        let long = "x".repeat(500);
        assert_eq!(parse(&format!("q={long}")).q.len(), MAX_QUERY_CHARS);
    }
}
