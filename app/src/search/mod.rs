//! Establishment search: an in-memory index per server process, kept fresh from the database.
//!
//! Every change to a centre or a site writes an audit event in the same transaction (creation, transfer, edit).
//! Before answering, a replica reads the audit events it has not seen yet (one indexed range query on the audit
//! table's primary key), reloads the centres and sites they name and swaps in a rebuilt index. So any number of
//! stateless replicas over one PostgreSQL answer the next query with every committed change, whichever replica
//! made it. Ids that PostgreSQL handed to transactions still running when the events were read are remembered as
//! gaps and asked for again until they appear (or, rolled back, are forgotten after a minute).
//!
//! One look for changes runs at a time. The searches that arrive while one runs wait for the next, which starts after
//! they did and so sees what they must, and share it: under load, one query to the audit table serves many searches.

pub mod bitset;
pub mod index;

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use sea_orm::sea_query::{Alias, Expr, ExprTrait, Order, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult};

pub use index::{Doc, Index, Kind, Labels};

/// How long an id skipped by the sequence is waited for (a transaction still running, or one rolled back).
const GAP_PATIENCE: Duration = Duration::from_secs(60);
/// Ids below the newest at start-up that are checked for transactions still running then.
const START_LOOKBACK: i64 = 200;
/// Most ids in one IN list.
const CHUNK: usize = 500;

struct Commune {
    nom: String,
    departement: String,
    region: String,
}

struct Tracker {
    /// Every audit event id up to here has been applied, except the gaps.
    watermark: i64,
    gaps: Vec<(i64, Instant)>,
}

/// The search index of this process and what keeps it fresh.
pub struct SearchIndex {
    current: RwLock<Arc<Index>>,
    tracker: Mutex<Tracker>,
    /// Taken by each look for changes, and until what it found is applied; holds the number of the last look done.
    checking: tokio::sync::Mutex<u64>,
    /// How many looks for changes have started (changed with `checking` held).
    checks_started: AtomicU64,
    communes: HashMap<String, Commune>,
}

#[derive(FromQueryResult)]
struct CentreRow {
    id: i32,
    siret: String,
    raison_sociale: String,
    adresse: String,
    code_postal: String,
    commune_code: String,
    type_centre_id: Option<i32>,
    reseau_id: Option<i32>,
}

#[derive(FromQueryResult)]
struct SiteRow {
    id: i32,
    centre_id: i32,
    nom: String,
    adresse: String,
    code_postal: String,
    commune_code: String,
}

#[derive(FromQueryResult)]
struct AgrementRow {
    site_id: i32,
    titre_id: i32,
    statut: String,
}

#[derive(FromQueryResult)]
struct EventRow {
    id: i64,
    object_type: String,
    object_id: i32,
}

#[derive(FromQueryResult)]
struct CodeLabel {
    code: String,
    nom: String,
}

#[derive(FromQueryResult)]
struct IdLabel {
    id: i32,
    libelle: String,
}

#[derive(FromQueryResult)]
struct TitreLabel {
    id: i32,
    code: String,
    libelle: String,
}

#[derive(FromQueryResult)]
struct CommuneRow {
    code: String,
    nom: String,
    departement_code: String,
    region_code: String,
}

#[derive(FromQueryResult)]
struct MaxId {
    n: Option<i64>,
}

fn select(table: &str, columns: &[&str]) -> SelectStatement {
    let mut s = Query::select();
    s.from(Alias::new(table));
    for c in columns {
        s.column((Alias::new(table), Alias::new(*c)));
    }
    s
}

async fn labels(db: &impl ConnectionTrait) -> Result<Labels, DbErr> {
    let regions: Vec<CodeLabel> = crate::db::fetch_all(db, &select("region", &["code", "nom"])).await?;
    let departements: Vec<CodeLabel> =
        crate::db::fetch_all(db, select("departement", &["code", "nom"]).order_by(Alias::new("code"), Order::Asc))
            .await?;
    let types: Vec<IdLabel> = crate::db::fetch_all(db, &select("type_centre", &["id", "libelle"])).await?;
    let reseaux: Vec<IdLabel> = crate::db::fetch_all(db, &select("reseau", &["id", "libelle"])).await?;
    let titres: Vec<TitreLabel> = crate::db::fetch_all(db, &select("titre", &["id", "code", "libelle"])).await?;
    Ok(Labels {
        regions: regions.into_iter().map(|r| (r.code, r.nom)).collect(),
        departements: departements.into_iter().map(|d| (d.code, d.nom)).collect(),
        types_centre: types.into_iter().map(|t| (t.id, t.libelle)).collect(),
        reseaux: reseaux.into_iter().map(|r| (r.id, r.libelle)).collect(),
        titres: titres.into_iter().map(|t| (t.id, t.code, t.libelle)).collect(),
    })
}

async fn communes(db: &impl ConnectionTrait) -> Result<HashMap<String, Commune>, DbErr> {
    let rows: Vec<CommuneRow> =
        crate::db::fetch_all(db, &select("commune", &["code", "nom", "departement_code", "region_code"])).await?;
    Ok(rows
        .into_iter()
        .map(|c| (c.code, Commune { nom: c.nom, departement: c.departement_code, region: c.region_code }))
        .collect())
}

/// Rows of `stmt`, with `column IN ids` added chunk by chunk (all rows when `ids` is `None`).
async fn fetch_in<T: FromQueryResult>(
    db: &impl ConnectionTrait,
    stmt: SelectStatement,
    table: &str,
    column: &str,
    ids: Option<&[i32]>,
) -> Result<Vec<T>, DbErr> {
    let Some(ids) = ids else {
        return crate::db::fetch_all(db, &stmt).await;
    };
    let mut rows = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        let mut s = stmt.clone();
        s.and_where(Expr::col((Alias::new(table), Alias::new(column))).is_in(chunk.iter().copied()));
        rows.extend(crate::db::fetch_all::<T>(db, &s).await?);
    }
    Ok(rows)
}

impl SearchIndex {
    /// Loads every centre and site and builds the index.
    pub async fn load(db: &impl ConnectionTrait) -> Result<Self, DbErr> {
        let started = Instant::now();
        // The watermark is read first: a change committed while loading is applied again, which is harmless.
        let newest = max_event_id(db).await?;
        let recent: Vec<EventRow> = events_after(db, newest - START_LOOKBACK, &[]).await?;
        let seen: BTreeSet<i64> = recent.iter().map(|e| e.id).collect();
        let now = Instant::now();
        let gaps = (std::cmp::max(newest - START_LOOKBACK, 0) + 1..=newest)
            .filter(|id| !seen.contains(id))
            .map(|id| (id, now))
            .collect();
        let communes = communes(db).await?;
        let labels = labels(db).await?;
        let this = SearchIndex {
            current: RwLock::new(Arc::new(Index::build(Vec::new(), Labels::default()))),
            tracker: Mutex::new(Tracker { watermark: newest, gaps }),
            checking: tokio::sync::Mutex::new(0),
            checks_started: AtomicU64::new(0),
            communes,
        };
        let docs = this.load_docs(db, None).await?;
        let index = Index::build(docs, labels);
        tracing::info!(
            documents = index.docs().len(),
            elapsed_ms = started.elapsed().as_millis(),
            "search index built"
        );
        *this.current.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(index);
        Ok(this)
    }

    /// The index as it is now, without looking for changes (benchmarks; tests).
    pub fn snapshot(&self) -> Arc<Index> {
        self.current.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The index with every change committed before this call applied.
    ///
    /// A look for changes that starts after this call has begun sees every change committed before it. The one
    /// running now, if any, may have started before: wait for the next, run by the first of the searches waiting
    /// for it and shared by the others. Looks are numbered as they start, under the lock: the one that takes the
    /// number after that of the last look started when this call begins starts after it, hence `needed`.
    pub async fn fresh(&self, db: &impl ConnectionTrait) -> Result<Arc<Index>, DbErr> {
        let needed = self.checks_started.load(Ordering::SeqCst) + 1;
        let mut done = self.checking.lock().await;
        if *done >= needed {
            return Ok(self.snapshot());
        }
        let number = self.checks_started.fetch_add(1, Ordering::SeqCst) + 1;
        let (watermark, gaps) = self.tracked();
        let events = events_after(db, watermark, &gaps).await?;
        if !events.is_empty() {
            self.apply(db, &events).await?;
            self.advance(watermark, &events);
        }
        *done = number;
        Ok(self.snapshot())
    }

    /// Holds the looks for changes back until the guard is dropped, as a running look does: the searches that arrive
    /// meanwhile share the next look (tests: a look that takes long, made certain). The guard only lets go: the
    /// number of the last look done stays out of reach.
    pub async fn hold_checks(&self) -> impl Sized + '_ {
        self.checking.lock().await
    }

    /// How many looks for changes `fresh` has made (tests: how many searches shared one).
    pub fn checks_started(&self) -> u64 {
        self.checks_started.load(Ordering::SeqCst)
    }

    fn tracked(&self) -> (i64, Vec<i64>) {
        let t = self.tracker.lock().unwrap_or_else(|e| e.into_inner());
        (t.watermark, t.gaps.iter().map(|(id, _)| *id).collect())
    }

    fn advance(&self, from: i64, events: &[EventRow]) {
        let mut t = self.tracker.lock().unwrap_or_else(|e| e.into_inner());
        let seen: BTreeSet<i64> = events.iter().map(|e| e.id).collect();
        let newest = std::cmp::max(seen.last().copied().unwrap_or(from), from);
        let now = Instant::now();
        t.gaps.retain(|(id, since)| !seen.contains(id) && now.duration_since(*since) < GAP_PATIENCE);
        t.gaps.extend((from + 1..newest).filter(|id| !seen.contains(id)).map(|id| (id, now)));
        t.watermark = newest;
    }

    /// Reloads the centres and sites named by `events` (and the centres a moved site left or joined).
    async fn apply(&self, db: &impl ConnectionTrait, events: &[EventRow]) -> Result<(), DbErr> {
        let old = self.snapshot();
        let mut centres: BTreeSet<i32> = BTreeSet::new();
        let mut sites: BTreeSet<i32> = BTreeSet::new();
        for e in events {
            match e.object_type.as_str() {
                "centre" => {
                    centres.insert(e.object_id);
                }
                "site" => {
                    sites.insert(e.object_id);
                }
                _ => {}
            }
        }
        if centres.is_empty() && sites.is_empty() {
            return Ok(());
        }
        for &s in &sites {
            if let Some(d) = old.doc(Kind::Site, s) {
                centres.insert(d.centre_id);
            }
        }
        let site_ids: Vec<i32> = sites.iter().copied().collect();
        let now_at: Vec<SiteRow> = fetch_in(db, site_columns(), "site", "id", Some(&site_ids)).await?;
        centres.extend(now_at.iter().map(|s| s.centre_id));

        let centre_ids: Vec<i32> = centres.iter().copied().collect();
        let fresh = self.load_docs(db, Some(&centre_ids)).await?;
        let replaced = |d: &Doc| centres.contains(&d.centre_id) || (d.kind == Kind::Site && sites.contains(&d.id));
        let mut docs: Vec<Doc> = old.docs().iter().filter(|d| !replaced(d)).cloned().collect();
        let reloaded = fresh.len();
        docs.extend(fresh);
        let started = Instant::now();
        let index = Index::build(docs, old.labels().clone());
        tracing::debug!(reloaded, elapsed_ms = started.elapsed().as_millis(), "search index refreshed");
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(index);
        Ok(())
    }

    /// The documents of some centres and all their sites (of every centre when `centre_ids` is `None`).
    async fn load_docs(&self, db: &impl ConnectionTrait, centre_ids: Option<&[i32]>) -> Result<Vec<Doc>, DbErr> {
        let centres: Vec<CentreRow> = fetch_in(
            db,
            select(
                "centre",
                &[
                    "id",
                    "siret",
                    "raison_sociale",
                    "adresse",
                    "code_postal",
                    "commune_code",
                    "type_centre_id",
                    "reseau_id",
                ],
            ),
            "centre",
            "id",
            centre_ids,
        )
        .await?;
        let sites: Vec<SiteRow> = fetch_in(db, site_columns(), "site", "centre_id", centre_ids).await?;
        let site_ids: Option<Vec<i32>> = centre_ids.map(|_| sites.iter().map(|s| s.id).collect());
        let agrements: Vec<AgrementRow> = fetch_in(
            db,
            select("agrement", &["site_id", "titre_id", "statut"]),
            "agrement",
            "site_id",
            site_ids.as_deref(),
        )
        .await?;

        // Per site: titres, and whether an agrément is in force / has ended.
        let mut per_site: HashMap<i32, Agrements> = HashMap::new();
        for a in &agrements {
            let entry = per_site.entry(a.site_id).or_default();
            entry.0.insert(a.titre_id);
            match a.statut.as_str() {
                "accorde" => entry.1 = true,
                "termine" | "retire" => entry.2 = true,
                _ => {}
            }
        }
        let mut docs = Vec::with_capacity(centres.len() + sites.len());
        let by_id: HashMap<i32, &CentreRow> = centres.iter().map(|c| (c.id, c)).collect();
        let mut centre_agg: HashMap<i32, Agrements> = HashMap::new();
        for s in &sites {
            let Some(c) = by_id.get(&s.centre_id) else { continue };
            let agrements = per_site.remove(&s.id).unwrap_or_default();
            let agg = centre_agg.entry(c.id).or_default();
            agg.0.extend(agrements.0.iter().copied());
            agg.1 |= agrements.1;
            agg.2 |= agrements.2;
            docs.push(self.doc(Kind::Site, s.id, c, &s.nom, &s.adresse, &s.code_postal, &s.commune_code, agrements));
        }
        for c in &centres {
            let agrements = centre_agg.remove(&c.id).unwrap_or_default();
            docs.push(self.doc(
                Kind::Centre,
                c.id,
                c,
                &c.raison_sociale,
                &c.adresse,
                &c.code_postal,
                &c.commune_code,
                agrements,
            ));
        }
        Ok(docs)
    }
}

impl SearchIndex {
    /// One document: a centre, or a site of centre `c`, with its place and agréments.
    #[allow(clippy::too_many_arguments)]
    fn doc(
        &self,
        kind: Kind,
        id: i32,
        c: &CentreRow,
        title: &str,
        adresse: &str,
        code_postal: &str,
        commune_code: &str,
        (titres, en_cours, termine): Agrements,
    ) -> Doc {
        let place = self.communes.get(commune_code);
        let field = |f: fn(&Commune) -> &String| place.map(|p| f(p).clone()).unwrap_or_default();
        Doc {
            kind,
            id,
            centre_id: c.id,
            title: title.to_owned(),
            centre_raison_sociale: c.raison_sociale.clone(),
            siret: c.siret.clone(),
            adresse: adresse.to_owned(),
            code_postal: code_postal.to_owned(),
            commune: field(|p| &p.nom),
            departement: field(|p| &p.departement),
            region: field(|p| &p.region),
            type_centre: c.type_centre_id,
            reseau: c.reseau_id,
            titres: titres.into_iter().collect(),
            agrement_en_cours: en_cours,
            agrement_termine: termine,
        }
    }
}

/// A site's (or a centre's sites') titres with an agrément, and whether one is in force / has ended.
type Agrements = (BTreeSet<i32>, bool, bool);

fn site_columns() -> SelectStatement {
    select("site", &["id", "centre_id", "nom", "adresse", "code_postal", "commune_code"])
}

async fn max_event_id(db: &impl ConnectionTrait) -> Result<i64, DbErr> {
    let mut s = Query::select();
    s.expr_as(Expr::col((Alias::new("audit_event"), Alias::new("id"))).max(), Alias::new("n"))
        .from(Alias::new("audit_event"));
    let rows: Vec<MaxId> = crate::db::fetch_all(db, &s).await?;
    Ok(rows.first().and_then(|r| r.n).unwrap_or(0))
}

/// Audit events after `watermark`, plus those of the `gaps` ids that have appeared since.
async fn events_after(db: &impl ConnectionTrait, watermark: i64, gaps: &[i64]) -> Result<Vec<EventRow>, DbErr> {
    let mut s = select("audit_event", &["id", "object_type", "object_id"]);
    let id = || Expr::col((Alias::new("audit_event"), Alias::new("id")));
    let mut cond = id().gt(watermark);
    if !gaps.is_empty() {
        cond = cond.or(id().is_in(gaps.iter().copied()));
    }
    s.and_where(cond).order_by((Alias::new("audit_event"), Alias::new("id")), Order::Asc);
    crate::db::fetch_all(db, &s).await
}

/// The search index of the current request (provided by the server).
pub fn search_index() -> Result<Arc<SearchIndex>, crate::error::AppError> {
    leptos::prelude::use_context::<Arc<SearchIndex>>()
        .ok_or_else(|| crate::error::AppError::internal("search index missing from context"))
}
