//! Server-side search benchmark: the time to answer a search page with every facet count, on the national demo
//! dataset and on larger ones, and the same queries answered by a plain SQL baseline (LIKE over the tables, counts
//! by GROUP BY) on the same SQLite database and on PostgreSQL (the same data, generated into the database
//! `ceres_bench_x<scale>` on 127.0.0.1:5432 the first time), the two baselines side by side.
//!
//!     cargo run --release -p end2end --example bench -- search [--scales 1,100] [--baseline-scale 1] [--no-postgres]
//!
//! Each dataset is generated once into target/bench/ceres-x<scale>.db (the demo generator, as the server loads
//! it) and reused by later runs. The query list is fixed by the data (same database, same list): SIRETs, SIRENs,
//! names typed letter by letter, words with one typo, accents missing, facet filters, empty queries with facets.
//! No query is run before it is measured, and no result is cached between queries.

use std::time::{Duration, Instant};

use app::domain::recherche::{FacetKey, Portee, Recherche, Tri};
use app::domain::text::normalize;
use app::search::{Doc, Index, Kind};
use sea_orm::{ConnectionTrait, Statement};
use server::config::Config;

struct Stats {
    p50: Duration,
    p95: Duration,
    p99: Duration,
    max: Duration,
}

fn stats(mut times: Vec<Duration>) -> Stats {
    times.sort();
    let at = |q: f64| times[((times.len() as f64 * q).ceil() as usize).clamp(1, times.len()) - 1];
    Stats { p50: at(0.50), p95: at(0.95), p99: at(0.99), max: *times.last().expect("times") }
}

fn us(d: Duration) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1e6)
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

/// Swaps two neighbouring letters in the middle of a word (one typo).
fn typo(word: &str) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    let i = chars.len() / 2;
    chars.swap(i - 1, i);
    chars.into_iter().collect()
}

/// The fixed query list: at least 200 searches drawn from every 1/40th of the documents.
fn queries(index: &Index) -> Vec<Recherche> {
    let docs = index.docs();
    let step = (docs.len() / 40).max(1);
    let sample: Vec<&Doc> = docs.iter().step_by(step).take(40).collect();
    let mut out = Vec::new();
    let q = |text: &str| Recherche::default().with_query(text);
    for (i, d) in sample.iter().enumerate() {
        // A SIRET with spaces as printed, and a SIREN.
        let s = &d.siret;
        if s.len() == 14 {
            out.push(q(&format!("{} {} {} {}", &s[..3], &s[3..6], &s[6..9], &s[9..])));
            out.push(q(&s[..9]));
        }
        // The first word typed letter by letter (1 to 6 letters).
        let words: Vec<String> = normalize(&d.title).split(' ').map(str::to_owned).collect();
        if let Some(first) = words.iter().find(|w| w.len() >= 3) {
            for n in 1..=first.len().min(6) {
                out.push(q(&first[..n]));
            }
        }
        // Two words, the last one with a typo when long enough; the commune without accents.
        if let Some(long) = words.iter().find(|w| w.len() >= 6) {
            out.push(q(&format!("{} {}", words[0], typo(long))));
        }
        out.push(q(&normalize(&d.commune)));
        // Facet filters, with and without a query; an empty query with facets.
        let with_region = Recherche::default().toggled(FacetKey::Region, &d.region);
        out.push(with_region.clone());
        out.push(with_region.with_query(&words[0]).toggled(FacetKey::Agrement, "en-cours"));
        if let Some(t) = d.titres.first() {
            let code = index.labels().titres.iter().find(|x| x.0 == *t).map(|x| x.1.clone()).unwrap_or_default();
            out.push(Recherche::default().toggled(FacetKey::Titre, &code).with_portee(Portee::Sites));
        }
        if i % 4 == 0 {
            out.push(Recherche::default().toggled(FacetKey::Departement, &d.departement).with_tri(Tri::Alphabetique));
        }
    }
    out.push(Recherche::default());
    out
}

/// The SQL baseline for one query: rows (3 of each type) and counts by type and by every facet, with
/// `lower(text) LIKE '%word%'` over the tables' columns, as a search without an index would do it. The facet filters
/// on agréments are uncorrelated subqueries (`x.id IN (SELECT …)`), which both databases run once per query: written
/// as correlated `EXISTS (…)` ones, as in the runs before 03/12/2026, SQLite ran them once per row, and a single
/// query with a titre filter took up to 20 s instead of tens of milliseconds.
async fn baseline(db: &impl ConnectionTrait, r: &Recherche) -> u64 {
    let words: Vec<String> = normalize(&r.q).split(' ').filter(|w| !w.is_empty()).map(str::to_owned).collect();
    let mut found = 0u64;
    for kind in [Kind::Centre, Kind::Site] {
        // x: the establishment, c: its centre, m: its commune.
        let site_join = match kind {
            Kind::Centre => "JOIN site s ON s.centre_id = x.id",
            Kind::Site => "JOIN site s ON s.id = x.id",
        };
        // with_agrement: the establishments' ids beside their agréments (a), for the filters on agréments.
        let (from, text, name, with_agrement) = match kind {
            Kind::Centre => (
                "centre x JOIN centre c ON c.id = x.id JOIN commune m ON m.code = x.commune_code",
                "lower(x.raison_sociale || ' ' || x.siret || ' ' || m.nom)",
                "x.raison_sociale",
                "SELECT s.centre_id FROM site s JOIN agrement a ON a.site_id = s.id",
            ),
            Kind::Site => (
                "site x JOIN centre c ON c.id = x.centre_id JOIN commune m ON m.code = x.commune_code",
                "lower(x.nom || ' ' || c.raison_sociale || ' ' || m.nom)",
                "x.nom",
                "SELECT a.site_id FROM agrement a",
            ),
        };
        let mut conds: Vec<String> = words.iter().map(|w| format!("{text} LIKE '%{w}%'")).collect();
        for (key, values) in &r.filtres {
            let list = values.iter().map(|v| format!("'{}'", v.replace('\'', ""))).collect::<Vec<_>>().join(",");
            conds.push(match key {
                FacetKey::Region => format!("m.region_code IN ({list})"),
                FacetKey::Departement => format!("m.departement_code IN ({list})"),
                FacetKey::TypeCentre => format!("c.type_centre_id IN ({list})"),
                FacetKey::Reseau => format!("c.reseau_id IN ({list})"),
                FacetKey::Titre => {
                    format!("x.id IN ({with_agrement} JOIN titre t ON t.id = a.titre_id WHERE t.code IN ({list}))")
                }
                FacetKey::Agrement => format!(
                    "x.id IN ({with_agrement} WHERE a.statut {})",
                    if values.iter().any(|v| v == "en-cours") { "= 'accorde'" } else { "IN ('termine', 'retire')" }
                ),
            });
        }
        let filter = if conds.is_empty() { "1=1".to_owned() } else { conds.join(" AND ") };
        let sqls = [
            format!("SELECT x.id FROM {from} WHERE {filter} ORDER BY {name} LIMIT 3"),
            format!("SELECT COUNT(*) AS n FROM {from} WHERE {filter}"),
            format!("SELECT m.region_code, COUNT(*) AS n FROM {from} WHERE {filter} GROUP BY m.region_code"),
            format!("SELECT m.departement_code, COUNT(*) AS n FROM {from} WHERE {filter} GROUP BY m.departement_code"),
            format!("SELECT c.type_centre_id, COUNT(*) AS n FROM {from} WHERE {filter} GROUP BY c.type_centre_id"),
            format!("SELECT c.reseau_id, COUNT(*) AS n FROM {from} WHERE {filter} GROUP BY c.reseau_id"),
            format!(
                "SELECT a.titre_id, COUNT(DISTINCT x.id) AS n FROM {from} {site_join} \
                 JOIN agrement a ON a.site_id = s.id WHERE {filter} GROUP BY a.titre_id"
            ),
            format!(
                "SELECT a.statut, COUNT(DISTINCT x.id) AS n FROM {from} {site_join} \
                 JOIN agrement a ON a.site_id = s.id WHERE {filter} GROUP BY a.statut"
            ),
        ];
        for sql in sqls {
            let rows =
                db.query_all_raw(Statement::from_string(db.get_database_backend(), sql)).await.expect("baseline query");
            found += rows.len() as u64;
        }
    }
    found
}

/// The SQL baseline of each query on `db`, and the index's time for the same query just after it: the two lists of
/// times and a checksum of what was found.
async fn baseline_times(
    db: &impl ConnectionTrait,
    list: &[&Recherche],
    index: &Index,
) -> (Vec<Duration>, Vec<Duration>, u64) {
    let (mut base, mut same, mut checksum) = (Vec::new(), Vec::new(), 0u64);
    for r in list {
        let t = Instant::now();
        checksum += baseline(db, r).await;
        base.push(t.elapsed());
        let t = Instant::now();
        checksum += index.search(r).centres_total;
        same.push(t.elapsed());
    }
    (base, same, checksum)
}

/// The same demo dataset in PostgreSQL: the database `ceres_bench_x<scale>`, created and filled on first use.
async fn postgres_dataset(sqlite: &Config, scale: f64) -> sea_orm::DatabaseConnection {
    let admin_url = server::testing::postgres_admin_url();
    let admin = sea_orm::Database::connect(&admin_url).await.expect("PostgreSQL on 127.0.0.1:5432");
    let name = format!("ceres_bench_x{}", scale.to_string().replace('.', "_"));
    let exists = admin
        .query_one_raw(Statement::from_string(
            sea_orm::DbBackend::Postgres,
            format!("SELECT 1 AS one FROM pg_database WHERE datname = '{name}'"),
        ))
        .await
        .expect("pg_database")
        .is_some();
    if !exists {
        admin
            .execute_raw(Statement::from_string(sea_orm::DbBackend::Postgres, format!("CREATE DATABASE {name}")))
            .await
            .expect("CREATE DATABASE");
    }
    admin.close().await.ok();
    let base = admin_url.rsplit_once('/').map_or(admin_url.as_str(), |(b, _)| b).to_owned();
    let mut config = sqlite.clone();
    config.ceres.database_url = format!("{base}/{name}");
    eprintln!("PostgreSQL dataset ×{scale}: {} (generated on first use)", config.ceres.database_url);
    server::prepare_database(&config).await.unwrap_or_else(|e| panic!("{e}"))
}

/// `bench search [--scales 1,100] [--baseline-scale 1] [--baseline-every 5] [--no-postgres]`: two Markdown tables.
pub async fn run(args: &[String]) {
    let arg = |name: &str, default: &str| {
        args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned().unwrap_or_else(|| default.into())
    };
    let scales: Vec<f64> = arg("--scales", "1,100").split(',').map(|s| s.parse().expect("scale")).collect();
    let baseline_scale: f64 = arg("--baseline-scale", "1").parse().expect("scale");
    // The baseline takes from 10 ms to 2 s per query (p50 about 0.3 s): it runs on every n-th query of the same list.
    let baseline_every: usize = arg("--baseline-every", "5").parse().expect("n");
    let root = server::testing::repo_root();
    std::fs::create_dir_all(root.join("target/bench")).expect("target/bench");
    let text = std::fs::read_to_string(root.join("Leptos.toml")).expect("Leptos.toml");

    println!(
        "| Dataset | Documents | Load + index | Rebuild after a change | Queries | p50 | p95 | p99 | max | Freshness check p50 |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    let mut baseline_rows = Vec::new();
    for scale in scales {
        let file = root.join(format!("target/bench/ceres-x{scale}.db"));
        let mut config = Config::from_str("Leptos.toml", &text, |_| None).expect("Leptos.toml");
        config.ceres.database_url = format!("sqlite://{}?mode=rwc", file.display());
        config.ceres.demo_data = true;
        config.ceres.demo_scale = scale;
        config.ceres.geography_dir = root.join(&config.ceres.geography_dir);
        config.ceres.demo_registry_file = root.join(format!("target/bench/registre-x{scale}.json"));
        eprintln!("dataset ×{scale}: {} (generated on first use)", file.display());
        // The database first (generating the data on a first run), then the index alone, loaded once: until 03/12/2026
        // `server::prepare` loaded it too, and the second load cost 17 s of each run at ×100.
        let started = Instant::now();
        let db = server::prepare_database(&config).await.unwrap_or_else(|e| panic!("{e}"));
        let loaded = started.elapsed();
        let started = Instant::now();
        let search = server::testing::load_search_index(&db).await.expect("index");
        let load_index = started.elapsed();
        let index = search.snapshot();
        let list = queries(&index);
        let mut times = Vec::with_capacity(list.len());
        let mut checksum = 0u64;
        for r in &list {
            let t = Instant::now();
            let o = index.search(r);
            times.push(t.elapsed());
            checksum += o.centres_total + o.sites_total + o.facets.len() as u64;
        }
        // A change anywhere rebuilds the index from the documents in memory (no database read): its cost.
        let docs = index.docs().to_vec();
        let labels = index.labels().clone();
        let t = Instant::now();
        let rebuilt = Index::build(docs, labels);
        let rebuild = t.elapsed();
        drop(rebuilt);
        let mut fresh = Vec::new();
        for _ in 0..200 {
            let t = Instant::now();
            let _ = server::testing::search_index_fresh(&search, &db).await.expect("fresh");
            fresh.push(t.elapsed());
        }
        let s = stats(times.clone());
        let centres = index.docs().iter().filter(|d| d.kind == Kind::Centre).count();
        println!(
            "| ×{scale} | {} ({centres} centres, {} sites) | {:.2} s | {} | {} | {} | {} | {} | {} | {} |",
            index.docs().len(),
            index.docs().len() - centres,
            load_index.as_secs_f64(),
            ms(rebuild),
            list.len(),
            us(s.p50),
            us(s.p95),
            us(s.p99),
            us(s.max),
            us(stats(fresh).p50),
        );
        eprintln!("(database of ×{scale} ready in {:.1} s; checksum {checksum})", loaded.as_secs_f64());

        if (scale - baseline_scale).abs() < f64::EPSILON {
            let pg = if args.iter().any(|a| a == "--no-postgres") {
                None
            } else {
                Some(postgres_dataset(&config, scale).await)
            };
            // The two databases answer side by side, SQLite in this process and PostgreSQL in its own, one core each
            // on a 2-core machine: one after the other they took 30 s (fast machine) to 75 s (slow) of the run.
            let sampled: Vec<&Recherche> = list.iter().step_by(baseline_every).collect();
            let (on_sqlite, on_pg) = tokio::join!(baseline_times(&db, &sampled, &index), async {
                match &pg {
                    Some(pg) => Some(baseline_times(pg, &sampled, &index).await),
                    None => None,
                }
            });
            let timed = std::iter::once(("SQLite", on_sqlite)).chain(on_pg.map(|t| ("PostgreSQL", t)));
            for (name, (base, same, sum)) in timed {
                checksum += sum;
                eprintln!("({name} baseline checksum {checksum})");
                let (b, i) = (stats(base), stats(same));
                baseline_rows.push(format!(
                    "| ×{scale} | {name} LIKE + GROUP BY | {} | {} | {} | {} | {} | {:.0}× |",
                    sampled.len(),
                    ms(b.p50),
                    ms(b.p95),
                    ms(b.p99),
                    us(i.p50),
                    b.p50.as_secs_f64() / i.p50.as_secs_f64()
                ));
            }
        }
        db.close().await.ok();
    }
    println!();
    println!("| Dataset | Baseline | Queries | p50 | p95 | p99 | Index p50, same queries | Index faster (p50) |");
    println!("|---|---|---|---|---|---|---|---|");
    for row in baseline_rows {
        println!("{row}");
    }
}
