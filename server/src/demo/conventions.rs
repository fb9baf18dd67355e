//! The demo's « Organismes de formation conventionnés »: two fixed training bodies of the Gard (one conventioned
//! with 16 30 FORMATION, whose forecasts call for an avenant; one with the AFPA, so that 16 30 FORMATION's user can
//! declare it too), and a pool of generated bodies conventioned with about one generated centre in eight. Drawn
//! from their own random sequence, so that the rest of the demo stays what it was.

use std::collections::HashMap;

use app::db::entity::{commune, convention, convention_titre};
use app::domain::text::normalize;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use sea_orm::Set;

use super::{Batch, Refs, address, rng::Rng};

/// A training body of the demo.
pub struct Organisme {
    pub siret: String,
    pub raison_sociale: String,
    pub adresse: String,
    pub code_postal: String,
    pub commune: commune::Model,
}

/// Conventioned with 16 30 FORMATION (Nîmes).
pub const IMM_SIRET: &str = "84213567500010";
/// Conventioned with the AFPA of Saint-Nazaire, and not (yet) with 16 30 FORMATION (Alès).
pub const AFC_SIRET: &str = "79344120500028";

const KINDS: &[&str] = &[
    "INSTITUT DE FORMATION",
    "ATELIERS DES METIERS",
    "ECOLE DES METIERS",
    "CAMPUS PRO",
    "FORMATION ET COMPETENCES",
    "CENTRE DE FORMATION CONTINUE",
    "ACADEMIE DES METIERS",
    "ASSOCIATION POUR LA FORMATION",
];

fn organisme(siret: String, raison_sociale: String, adresse: String, commune: &commune::Model) -> Organisme {
    let code_postal = commune.codes_postaux.split(',').next().unwrap_or_default().to_owned();
    Organisme { siret, raison_sociale, adresse, code_postal, commune: commune.clone() }
}

impl Batch {
    /// A convention of `centre_id` with `o`, covering `titres`, in force since `effet`, its forecasts given in
    /// `annee`.
    #[allow(clippy::too_many_arguments)]
    fn add_convention(
        &mut self,
        now: DateTime<Utc>,
        centre_id: i32,
        o: &Organisme,
        titres: &[i32],
        effet: NaiveDate,
        envoi: NaiveDate,
        annee: i32,
        previsions: (i32, i32),
    ) {
        self.next_convention += 1;
        let id = self.next_convention;
        self.conventions.push(convention::ActiveModel {
            id: Set(id),
            centre_id: Set(centre_id),
            siret: Set(o.siret.clone()),
            raison_sociale: Set(o.raison_sociale.clone()),
            adresse: Set(o.adresse.clone()),
            code_postal: Set(o.code_postal.clone()),
            commune_code: Set(o.commune.code.clone()),
            libelle_commune: Set(normalize(&o.commune.nom).to_uppercase()),
            date_envoi_prefet: Set(envoi),
            date_effet: Set(effet),
            annee: Set(annee),
            prevision_n: Set(previsions.0),
            prevision_n1: Set(previsions.1),
            created_at: Set(now),
            updated_at: Set(now),
        });
        let mut titres = titres.to_vec();
        titres.sort_unstable();
        titres.dedup();
        self.convention_titres.extend(
            titres.into_iter().map(|t| convention_titre::ActiveModel { convention_id: Set(id), titre_id: Set(t) }),
        );
    }

    /// Each centre's titres with an agrément in force, over all its sites (one pass over the sites).
    fn titres_by_centre(&self) -> HashMap<i32, Vec<i32>> {
        let mut by_centre: HashMap<i32, Vec<i32>> = HashMap::new();
        for (site_id, titres) in &self.site_titres {
            if let Some(lieu) = usize::try_from(*site_id - 1).ok().and_then(|i| self.lieux.get(i)) {
                by_centre.entry(lieu.centre_id).or_default().extend(titres);
            }
        }
        for titres in by_centre.values_mut() {
            titres.sort_unstable();
            titres.dedup();
        }
        by_centre
    }
}

/// Adds the demo's conventions, once every centre, site and agrément is in `b`.
pub(super) fn add(
    b: &mut Batch,
    refs: &Refs,
    now: DateTime<Utc>,
    today: NaiveDate,
    first_generated: i32,
) -> Result<(), super::DemoError> {
    let mut rng = Rng::new(0x000C_0471_2026);
    let commune = |code: &str| {
        refs.communes
            .iter()
            .find(|c| c.code == code)
            .ok_or_else(|| super::DemoError::MissingReference(format!("commune {code}")))
    };
    let centre = |siret: &str| b.centre_rows.iter().find(|(_, _, s)| s == siret).map(|(id, _, _)| *id);
    let (c1630, afpa) = (centre("53060076600022"), centre("82422814201098"));
    let titre = |code: &str| refs.titre_by_code.get(code).map(|t| t.id);
    let year = today.year();
    let day = |y: i32, m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d).unwrap_or(today);

    let imm = organisme(
        IMM_SIRET.into(),
        "INSTITUT MEDITERRANEEN DES METIERS".into(),
        "14 RUE DE LA REPUBLIQUE".into(),
        commune("30189")?,
    );
    let afc =
        organisme(AFC_SIRET.into(), "ATELIERS FORMATION CEVENNES".into(), "5 AVENUE CARNOT".into(), commune("30007")?);
    b.sirets.extend([IMM_SIRET.to_owned(), AFC_SIRET.to_owned()]);
    if let Some(c1630) = c1630 {
        let titres: Vec<i32> = ["TP-01318", "TP-00402"].into_iter().filter_map(titre).collect();
        let effet = day(year - 2, 9, 1);
        b.add_convention(now, c1630, &imm, &titres, effet, effet - Duration::days(21), year - 1, (14, 18));
    }
    if let Some(afpa) = afpa {
        let titres: Vec<i32> = titre("TP-91248").into_iter().collect();
        let effet = day(year - 1, 1, 15);
        b.add_convention(now, afpa, &afc, &titres, effet, effet - Duration::days(30), year, (8, 10));
    }

    // Generated bodies, each working with a few centres of its région.
    let pool_size = (b.centre_rows.len() / 25).max(4);
    let pool: Vec<Organisme> = (0..pool_size)
        .map(|_| {
            let c = &refs.communes[rng.below(refs.communes.len())];
            let name = format!("{} {}", rng.pick(KINDS), normalize(&c.nom).to_uppercase());
            let siret = b.new_siret(&mut rng);
            organisme(siret, name, address(&mut rng), c)
        })
        .collect();
    let last = b.next_centre;
    let titres_by_centre = b.titres_by_centre();
    for centre_id in first_generated..=last {
        if !rng.chance(12) {
            continue;
        }
        let Some(titres) = titres_by_centre.get(&centre_id).filter(|t| !t.is_empty()) else {
            continue;
        };
        let mut chosen: Vec<usize> = Vec::new();
        for _ in 0..rng.between(1, 2) {
            let o = rng.below(pool.len());
            if chosen.contains(&o) {
                continue;
            }
            chosen.push(o);
            let covered: Vec<i32> = (0..rng.between(1, 2)).map(|_| *rng.pick(titres)).collect();
            let effet = today - Duration::days(rng.between(20, 1500));
            let envoi = effet - Duration::days(rng.between(5, 60));
            let mut small = |lo, hi| i32::try_from(rng.between(lo, hi)).unwrap_or(0);
            let annee = if effet.year() >= year - 1 { year } else { year - small(0, 1) };
            let n = small(2, 40);
            let n1 = n + small(0, 6);
            b.add_convention(now, centre_id, &pool[o], &covered, effet, envoi, annee, (n, n1));
        }
    }
    Ok(())
}
