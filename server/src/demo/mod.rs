//! The embedded demo: a deterministic generator of centres, sites, agréments, sessions and accounts at national
//! scale (3 803 centres, 7 800 sites, like CERES on 06/02/2019), scalable ×10 and ×100 for benchmarks, and
//! holding exactly the cases of the 2019 support note. Loaded only when the database has no centre yet.

mod conventions;
mod history;
mod names;
mod rng;
mod seed_note;

use std::collections::{HashMap, HashSet};

use app::db::entity::{
    agrement, candidat, centre, commune, convention, convention_titre, demande_dte, derogation, exam_session,
    jury_membre, region, reseau, site, titre, type_centre,
};
use app::domain::candidats::{Candidat, Resultat};
use app::domain::delais::Dte;
use app::domain::programmation::NouvelleSession;
use app::domain::session::StatutSession;
use app::domain::siret::luhn_complete;
use app::domain::text::normalize;
use app::registry::Company;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set, Statement, TransactionTrait,
};

use crate::config::CeresConfig;
use crate::passwords;
use app::db::insert_statements;
use app::db::session_edit::new_candidat;
use history::{History, Lieu, MOTIF_ANNULATION, Story};
use names::*;
use rng::Rng;
pub use seed_note::{ACCOUNTS, DEMO_PASSWORD, NOT_REGISTERED};

/// CERES on 06/02/2019 (support note): « CENTRE (3,803) », « SITE (7,800) ».
pub const NATIONAL_CENTRES: usize = 3803;
pub const NATIONAL_SITES: usize = 7800;

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("écriture en base impossible : {0}")]
    Db(#[from] DbErr),
    #[error("les données de référence manquent ({0}) : elles doivent être chargées avant la démonstration")]
    MissingReference(String),
    #[error("impossible d'écrire {path} : {cause}")]
    Registry { path: String, cause: std::io::Error },
}

/// The demo accounts, as `server` prints them at start.
pub fn accounts_banner() -> String {
    let mut out = format!("Comptes de démonstration (mot de passe : {DEMO_PASSWORD}) :\n");
    for a in seed_note::ACCOUNTS {
        out.push_str(&format!("  {:<12} {}\n", a.identifiant, a.label));
    }
    out
}

/// What was generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSummary {
    pub centres: usize,
    pub sites: usize,
    pub agrements: usize,
    pub sessions: usize,
}

pub async fn load_if_empty(db: &DatabaseConnection, config: &CeresConfig) -> Result<(), DemoError> {
    let empty = centre::Entity::find().count(db).await? == 0;
    if empty {
        let started = std::time::Instant::now();
        eprintln!("Chargement des données de démonstration (échelle {})…", config.demo_scale);
        let today = Utc::now().date_naive();
        let summary = generate(db, config.demo_scale, today).await?;
        eprintln!(
            "  {} centres, {} sites, {} agréments, {} sessions en {:.1} s",
            summary.centres,
            summary.sites,
            summary.agrements,
            summary.sessions,
            started.elapsed().as_secs_f64()
        );
    }
    // Written again with each new demo, so that it knows the new demo's centres and training bodies.
    if empty || !config.demo_registry_file.exists() {
        write_registry(db, &config.demo_registry_file).await?;
    }
    Ok(())
}

/// The file-backed demo registry: every demo centre (but the centre de reprise), every training body conventioned
/// with one, and the companies the support note registers later (FEDERATION COMPAGNONNIQUE BATIMENT FLOIRAC, ELEGIA).
pub async fn write_registry(db: &impl ConnectionTrait, path: &std::path::Path) -> Result<(), DemoError> {
    let centres = centre::Entity::find().order_by_asc(centre::Column::Id).all(db).await?;
    let codes: HashSet<String> = centres.iter().map(|c| c.commune_code.clone()).collect();
    let communes: HashMap<String, String> = commune::Entity::find()
        .filter(
            commune::Column::Code.is_in(codes.into_iter().chain(NOT_REGISTERED.iter().map(|n| n.commune.to_owned()))),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.code, c.nom))
        .collect();
    let libelle = |code: &str| normalize(communes.get(code).map_or("", String::as_str)).to_uppercase();
    let mut entries: Vec<Company> = centres
        .into_iter()
        .filter(|c| c.siret != app::domain::siret::CENTRE_DE_REPRISE_SIRET)
        .map(|c| Company {
            libelle_commune: libelle(&c.commune_code),
            siret: c.siret,
            nom_raison_sociale: c.raison_sociale,
            adresse: c.adresse,
            code_postal: c.code_postal,
            commune: c.commune_code,
            etat_administratif: "A".into(),
        })
        .collect();
    // The training bodies conventioned with demo centres (each once).
    let bodies = convention::Entity::find().order_by_asc(convention::Column::Id).all(db).await?;
    let mut seen = HashSet::new();
    entries.extend(bodies.into_iter().filter(|o| seen.insert(o.siret.clone())).map(|o| Company {
        siret: o.siret,
        nom_raison_sociale: o.raison_sociale,
        adresse: o.adresse,
        code_postal: o.code_postal,
        libelle_commune: o.libelle_commune,
        commune: o.commune_code,
        etat_administratif: "A".into(),
    }));
    entries.extend(NOT_REGISTERED.iter().map(|n| Company {
        siret: n.siret.into(),
        nom_raison_sociale: n.raison_sociale.into(),
        adresse: n.adresse.into(),
        code_postal: n.code_postal.into(),
        libelle_commune: libelle(n.commune),
        commune: n.commune.into(),
        etat_administratif: "A".into(),
    }));
    let err = |cause| DemoError::Registry { path: path.display().to_string(), cause };
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(err)?;
    }
    let json = serde_json::to_vec(&entries).map_err(|e| err(std::io::Error::other(e)))?;
    std::fs::write(path, json).map_err(err)
}

/// Reference rows the generator needs, by key.
struct Refs {
    /// Communes where demo establishments may stand: ≥ 2 000 inhabitants, in a région with a DREETS.
    communes: Vec<commune::Model>,
    communes_by_region: HashMap<String, Vec<usize>>,
    regions: Vec<String>,
    departement_names: HashMap<String, String>,
    titres: Vec<titre::Model>,
    titre_by_code: HashMap<String, titre::Model>,
    type_centre: HashMap<String, i32>,
    reseau: HashMap<String, i32>,
}

async fn refs(db: &impl ConnectionTrait) -> Result<Refs, DemoError> {
    use app::db::entity::departement;
    let dreets_regions: Vec<String> = region::Entity::find()
        .filter(region::Column::Zone.is_in(["metro", "drom"]))
        .order_by_asc(region::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.code)
        .collect();
    let communes = commune::Entity::find()
        .filter(commune::Column::Population.gte(2000))
        .filter(commune::Column::RegionCode.is_in(dreets_regions.clone()))
        .order_by_asc(commune::Column::Code)
        .all(db)
        .await?;
    if communes.is_empty() {
        return Err(DemoError::MissingReference("communes".into()));
    }
    let mut communes_by_region: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, c) in communes.iter().enumerate() {
        communes_by_region.entry(c.region_code.clone()).or_default().push(i);
    }
    let titres = titre::Entity::find().order_by_asc(titre::Column::Id).all(db).await?;
    if titres.is_empty() {
        return Err(DemoError::MissingReference("titres".into()));
    }
    Ok(Refs {
        regions: dreets_regions.into_iter().filter(|r| communes_by_region.contains_key(r)).collect(),
        communes_by_region,
        communes,
        departement_names: departement::Entity::find().all(db).await?.into_iter().map(|d| (d.code, d.nom)).collect(),
        titre_by_code: titres.iter().map(|t| (t.code.clone(), t.clone())).collect(),
        titres,
        type_centre: type_centre::Entity::find().all(db).await?.into_iter().map(|t| (t.libelle, t.id)).collect(),
        reseau: reseau::Entity::find().all(db).await?.into_iter().map(|r| (r.libelle, r.id)).collect(),
    })
}

/// Rows accumulated before insertion; ids are assigned here so that references between rows are known.
#[derive(Default)]
struct Batch {
    centres: Vec<centre::ActiveModel>,
    sites: Vec<site::ActiveModel>,
    agrements: Vec<agrement::ActiveModel>,
    sessions: Vec<exam_session::ActiveModel>,
    candidats: Vec<candidat::ActiveModel>,
    dtes: Vec<demande_dte::ActiveModel>,
    jurys: Vec<jury_membre::ActiveModel>,
    conventions: Vec<convention::ActiveModel>,
    convention_titres: Vec<convention_titre::ActiveModel>,
    next_centre: i32,
    next_site: i32,
    next_agrement: i32,
    next_session: i32,
    next_convention: i32,
    /// Per centre: (name, commune code); per site: (centre id, active titre ids).
    centre_rows: Vec<(i32, String, String)>,
    site_titres: Vec<(i32, Vec<i32>)>,
    /// Per site (by id): where it is.
    lieux: Vec<Lieu>,
    sirets: HashSet<String>,
    history: History,
}

struct Place<'a> {
    commune: &'a commune::Model,
}

impl Place<'_> {
    fn code_postal(&self) -> String {
        self.commune
            .codes_postaux
            .split(',')
            .next()
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .unwrap_or_else(|| format!("{:0<5}", self.commune.departement_code))
    }
}

pub(crate) struct Person {
    nom: String,
    prenom: String,
    genre: &'static str,
    telephone: String,
    email: String,
}

fn person(rng: &mut Rng, overseas: bool) -> Person {
    let female = rng.chance(55);
    let prenom = (*rng.pick(if female { FIRST_NAMES_F } else { FIRST_NAMES_M })).to_owned();
    let nom = (*rng.pick(SURNAMES)).to_owned();
    let prefix = if overseas { "0262" } else { rng.pick(&["01", "02", "03", "04", "05", "06", "07", "09"]) };
    let rest = rng.digits(10 - prefix.len());
    let phone = format!("{prefix}{rest}");
    let telephone =
        phone.as_bytes().chunks(2).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ");
    let email = format!("{}.{}@exemple.fr", normalize(&prenom).replace(' ', "-"), normalize(&nom).replace(' ', "-"));
    Person { nom, prenom, genre: if female { "Madame" } else { "Monsieur" }, telephone, email }
}

fn address(rng: &mut Rng) -> String {
    if rng.chance(15) {
        format!("{} {}", rng.pick(ZONES), rng.pick(NOMS_VOIES))
    } else {
        format!("{} {} {}", rng.between(1, 180), rng.pick(VOIES), rng.pick(NOMS_VOIES))
    }
}

impl Batch {
    /// The rows generated and not yet handed over.
    fn pending(&self) -> usize {
        self.centres.len()
            + self.sites.len()
            + self.agrements.len()
            + self.sessions.len()
            + self.candidats.len()
            + self.dtes.len()
            + self.jurys.len()
            + self.conventions.len()
            + self.convention_titres.len()
    }

    /// The rows not yet handed over, as their INSERT statements, a table after those it refers to.
    fn take_statements(&mut self, backend: DbBackend) -> Vec<Statement> {
        use std::mem::take;
        let mut out = Vec::new();
        out.extend(insert_statements(take(&mut self.centres), backend));
        out.extend(insert_statements(take(&mut self.sites), backend));
        out.extend(insert_statements(take(&mut self.agrements), backend));
        out.extend(insert_statements(take(&mut self.sessions), backend));
        out.extend(insert_statements(take(&mut self.candidats), backend));
        out.extend(insert_statements(take(&mut self.dtes), backend));
        out.extend(insert_statements(take(&mut self.jurys), backend));
        out.extend(insert_statements(take(&mut self.conventions), backend));
        out.extend(insert_statements(take(&mut self.convention_titres), backend));
        out
    }

    fn new_siret(&mut self, rng: &mut Rng) -> String {
        loop {
            let head = format!("{}{}", rng.between(3, 9), rng.digits(7));
            let siren = format!("{head}{}", luhn_complete(&head));
            let nic_head = format!("{siren}{:04}", rng.between(1, 999));
            let siret = format!("{nic_head}{}", luhn_complete(&nic_head));
            if self.sirets.insert(siret.clone()) {
                return siret;
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn add_centre(
        &mut self,
        now: DateTime<Utc>,
        siret: String,
        raison_sociale: &str,
        adresse: &str,
        code_postal: String,
        commune: &commune::Model,
        type_centre: Option<i32>,
        reseau: Option<i32>,
        rep: Option<Person>,
    ) -> i32 {
        self.next_centre += 1;
        let id = self.next_centre;
        self.sirets.insert(siret.clone());
        self.centre_rows.push((id, raison_sociale.to_owned(), siret.clone()));
        let (rep_nom, rep_prenom, rep_genre, rep_telephone, rep_email) = match rep {
            Some(p) => (Some(p.nom), Some(p.prenom), Some(p.genre.to_owned()), Some(p.telephone), Some(p.email)),
            None => (None, None, None, None, None),
        };
        self.centres.push(centre::ActiveModel {
            id: Set(id),
            siret: Set(siret),
            raison_sociale: Set(raison_sociale.to_owned()),
            adresse: Set(adresse.to_owned()),
            code_postal: Set(code_postal),
            commune_code: Set(commune.code.clone()),
            type_centre_id: Set(type_centre),
            reseau_id: Set(reseau),
            commentaires: Set(None),
            rep_nom: Set(rep_nom),
            rep_prenom: Set(rep_prenom),
            rep_genre: Set(rep_genre),
            rep_telephone: Set(rep_telephone),
            rep_email: Set(rep_email),
            activation_code_hash: Set(None),
            activation_code_expires_at: Set(None),
            registered_by_region: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        });
        id
    }

    fn add_site(
        &mut self,
        now: DateTime<Utc>,
        centre_id: i32,
        nom: &str,
        adresse: &str,
        place: &Place<'_>,
        rep: Option<Person>,
    ) -> i32 {
        self.next_site += 1;
        let id = self.next_site;
        let cp = place.code_postal();
        let (rep_nom, rep_prenom, rep_genre, rep_telephone, rep_email) = match rep {
            Some(p) => (Some(p.nom), Some(p.prenom), Some(p.genre.to_owned()), Some(p.telephone), Some(p.email)),
            None => (None, None, None, None, None),
        };
        self.sites.push(site::ActiveModel {
            id: Set(id),
            centre_id: Set(centre_id),
            nom: Set(nom.to_owned()),
            adresse: Set(adresse.to_owned()),
            code_postal: Set(cp),
            commune_code: Set(place.commune.code.clone()),
            rep_nom: Set(rep_nom),
            rep_prenom: Set(rep_prenom),
            rep_genre: Set(rep_genre),
            rep_telephone: Set(rep_telephone),
            rep_email: Set(rep_email),
            created_at: Set(now),
            updated_at: Set(now),
        });
        self.site_titres.push((id, Vec::new()));
        self.lieux.push(Lieu {
            centre_id,
            departement: place.commune.departement_code.clone(),
            region: place.commune.region_code.clone(),
        });
        id
    }

    fn add_agrement(
        &mut self,
        now: DateTime<Utc>,
        site_id: i32,
        titre: &titre::Model,
        accorde_le: NaiveDate,
        fin: Option<NaiveDate>,
        statut: &str,
    ) {
        self.next_agrement += 1;
        self.agrements.push(agrement::ActiveModel {
            id: Set(self.next_agrement),
            site_id: Set(site_id),
            titre_id: Set(titre.id),
            accorde_le: Set(accorde_le),
            date_fin: Set(fin),
            statut: Set(statut.to_owned()),
            created_at: Set(now),
            updated_at: Set(now),
        });
        if statut == "accorde"
            && let Some((_, titres)) = self.site_titres.iter_mut().rev().find(|(id, _)| *id == site_id)
        {
            titres.push(titre.id);
        }
    }

    /// A session with its candidates, jury and DTE request as its state implies, and its history.
    #[allow(clippy::too_many_arguments)]
    fn add_session(
        &mut self,
        rng: &mut Rng,
        now: DateTime<Utc>,
        today: NaiveDate,
        site_id: i32,
        titre_id: i32,
        statut: &str,
        debut: NaiveDate,
    ) {
        self.next_session += 1;
        let id = self.next_session;
        let kind = if rng.chance(80) { ("titre", "TITRE") } else { ("ccp", "CCP") };
        let identifiant = format!("{}_T_{}_{:06}", kind.1, debut.format("%Y"), 299_000 + id);
        let heure = *rng.pick(&[(8, 0), (8, 30), (9, 0), (13, 30)]);
        let created = (debut - Duration::days(rng.between(100, 200))).min(today);
        let created_at = created.and_hms_opt(9, 0, 0).map_or(now, |d| d.and_utc());
        let nouvelle = NouvelleSession {
            site_id,
            titre_id,
            type_session: kind.0.to_owned(),
            date_debut: debut,
            heure_debut: NaiveTime::from_hms_opt(heure.0, heure.1, 0).unwrap_or(NaiveTime::MIN),
            date_fin: debut + Duration::days(rng.between(0, 3)),
            commentaires: None,
            prolongation: false,
        };
        self.sessions.push(exam_session::ActiveModel {
            id: Set(id),
            identifiant: Set(identifiant.clone()),
            type_session: Set(nouvelle.type_session.clone()),
            titre_id: Set(titre_id),
            site_id: Set(site_id),
            date_debut: Set(debut),
            heure_debut: Set(nouvelle.heure_debut),
            date_fin: Set(nouvelle.date_fin),
            statut: Set(statut.to_owned()),
            commentaires: Set(None),
            created_at: Set(created_at),
            updated_at: Set(created_at.max(now - Duration::days(rng.between(1, 30)))),
            ..Default::default()
        });
        // Responsable, jury, results and history come from their own generators, so that adding them left the rest
        // of the demo data as it was.
        let mut staff = Rng::new(0x5E55_1011 ^ u64::try_from(id).unwrap_or(0));
        let mut past = Rng::new(0x7ACE_2019 ^ u64::try_from(id).unwrap_or(0));
        let statut_session = StatutSession::from_code(statut).unwrap_or(StatutSession::EnPreparation);
        let lieu = self.lieux[usize::try_from(site_id - 1).unwrap_or(0)].clone();
        let mut candidats = Vec::new();
        let mut jury = Vec::new();
        let mut dte = None;
        if statut != "en_preparation" {
            if let Some(session) = self.sessions.last_mut() {
                let r = person(&mut staff, false);
                session.responsable_nom = Set(Some(r.nom));
                session.responsable_prenom = Set(Some(r.prenom));
                session.responsable_telephone = Set(Some(r.telephone));
                session.responsable_email = Set(Some(r.email));
                if statut == "annulee" {
                    session.motif_annulation = Set(Some(MOTIF_ANNULATION.into()));
                }
            }
            jury = self.add_jury(&mut staff, id, debut, created_at);
            candidats = self.add_candidats(rng, &mut staff, id, statut, created_at);
            dte = (statut != "annulee").then(|| Dte {
                nombre_candidats: u32::try_from(candidats.len()).unwrap_or(0),
                date_reception_plis: debut - Duration::days(14),
                commentaires: None,
            });
        }
        let story = Story {
            id,
            lieu: &lieu,
            session: nouvelle,
            identifiant: &identifiant,
            statut: statut_session,
            created,
            candidats: &candidats,
            jury: &jury,
            dte: dte.as_ref(),
        };
        let timeline = self.history.timeline(&mut past, &story);
        if let (Some((requested, verdict)), Some(d)) = (&timeline.dte, &dte) {
            self.dtes.push(demande_dte::ActiveModel {
                session_id: Set(id),
                nombre_candidats: Set(i32::try_from(d.nombre_candidats).unwrap_or(0)),
                date_reception_plis: Set(d.date_reception_plis),
                commentaires: Set(None),
                hors_delai: Set(verdict.hors_delai().is_some()),
                created_by: Set(None),
                created_at: Set(requested.and_hms_opt(9, 0, 0).map_or(now, |d| d.and_utc())),
                ..Default::default()
            });
        }
        let last = self.history.tell(&mut past, &story, &timeline);
        // Last changed when its history says.
        if let (Some(last), Some(session)) = (last, self.sessions.last_mut()) {
            session.updated_at = Set(last);
        }
    }

    /// The session's two jury members (« NOM », « Prénom », end of habilitation).
    fn add_jury(
        &mut self,
        staff: &mut Rng,
        id: i32,
        debut: NaiveDate,
        created_at: DateTime<Utc>,
    ) -> Vec<(String, String, NaiveDate)> {
        let mut jury = Vec::new();
        for _ in 0..2 {
            let j = person(staff, false);
            let fin = debut + Duration::days(staff.between(200, 1500));
            self.jurys.push(jury_membre::ActiveModel {
                session_id: Set(id),
                nom: Set(j.nom.clone()),
                prenom: Set(j.prenom.clone()),
                habilitation_fin: Set(fin),
                created_at: Set(created_at),
                ..Default::default()
            });
            jury.push((j.nom, j.prenom, fin));
        }
        jury
    }

    /// The session's candidates, with their results once the state has them.
    fn add_candidats(
        &mut self,
        rng: &mut Rng,
        staff: &mut Rng,
        id: i32,
        statut: &str,
        created_at: DateTime<Utc>,
    ) -> Vec<(Candidat, Option<Resultat>)> {
        let with_results = matches!(statut, "resultats_saisis" | "validee");
        let n = rng.between(if statut == "annulee" { 0 } else { 3 }, 12);
        let mut candidats = Vec::new();
        for _ in 0..n {
            let p = person(rng, false);
            let born = NaiveDate::from_ymd_opt(i32::try_from(rng.between(1965, 2006)).unwrap_or(1990), 1, 1)
                .unwrap_or(NaiveDate::MIN)
                + Duration::days(rng.between(0, 364));
            let c = Candidat {
                nom: p.nom,
                prenom: p.prenom,
                date_naissance: born,
                email: Some(p.email),
                voie_acces: if rng.chance(80) { "formation" } else { "vae" }.to_owned(),
            };
            let resultat = with_results.then(|| {
                *staff.pick(&[
                    Resultat::Reussite,
                    Resultat::Reussite,
                    Resultat::Reussite,
                    Resultat::ReussitePartielle,
                    Resultat::Echec,
                    Resultat::Absent,
                ])
            });
            let mut row = new_candidat(id, &c, created_at);
            row.resultat = Set(resultat.map(|r| r.code().to_owned()));
            self.candidats.push(row);
            candidats.push((c, resultat));
        }
        candidats
    }
}

/// States a demo session can be in, with the start date each implies relative to today.
fn session_state(rng: &mut Rng, today: NaiveDate) -> (&'static str, NaiveDate) {
    let (statut, lo, hi) = *rng.pick(&[
        ("en_preparation", 95, 240),
        ("en_preparation", 40, 90),
        ("dte_envoye", 35, 90),
        ("convocations_envoyees", 3, 30),
        ("resultats_saisis", -40, -3),
        ("validee", -400, -30),
        ("annulee", -200, 120),
    ]);
    (statut, today + Duration::days(rng.between(lo, hi)))
}

fn centre_name(rng: &mut Rng, refs: &Refs, commune: &commune::Model) -> (String, &'static str, &'static str) {
    let ville = normalize(&commune.nom).to_uppercase();
    let dept =
        refs.departement_names.get(&commune.departement_code).map(|d| normalize(d).to_uppercase()).unwrap_or_default();
    match rng.below(100) {
        0..=9 => (format!("GRETA {dept}"), "GRETA (Éducation nationale)", "Éducation nationale"),
        10..=24 => {
            (format!("CFA {} {ville}", rng.pick(DOMAINES_CFA)), "Centre de formation d'apprentis (CFA)", "Aucun réseau")
        }
        25..=31 => {
            let kind = if rng.chance(50) { "CCI" } else { "CHAMBRE DE METIERS ET DE L ARTISANAT" };
            let reseau = if kind == "CCI" { "CCI France" } else { "CMA France" };
            (format!("{kind} {dept}"), "Organisme consulaire (CCI, CMA)", reseau)
        }
        32..=41 => (
            format!(
                "ASSOCIATION {} {ville}",
                rng.pick(&["POUR LA FORMATION", "INSERTION ET FORMATION", "FORMATION ET EMPLOI"])
            ),
            "Association",
            "Aucun réseau",
        ),
        42..=46 => (
            format!("{} {}", rng.pick(SURNAMES), rng.pick(&["INDUSTRIES", "TRANSPORTS", "SERVICES", "BATIMENT"])),
            "Entreprise (formation interne)",
            "Aucun réseau",
        ),
        47..=73 => (
            format!("{} {}", rng.pick(MARQUES), rng.pick(SUFFIXES_OF)),
            "Organisme de formation privé",
            "Fédération de la formation professionnelle (FFP)",
        ),
        _ => (
            format!("{} {}", rng.pick(SURNAMES), rng.pick(SUFFIXES_OF)),
            "Organisme de formation privé",
            "Aucun réseau",
        ),
    }
}

fn site_name(rng: &mut Rng, centre: &str, commune: &commune::Model) -> String {
    let short: String = centre.split(' ').take(2).collect::<Vec<_>>().join(" ");
    rng.pick(SITE_PATTERNS).replace("{c}", &commune.nom).replace("{n}", &short)
}

/// Generates the demo at `scale` (1.0 = national) with dates relative to `today`, in one transaction.
pub async fn generate(db: &DatabaseConnection, scale: f64, today: NaiveDate) -> Result<DemoSummary, DemoError> {
    let refs = refs(db).await?;
    let now = Utc::now();
    let mut rng = Rng::new(0x000C_E7E5_2019);
    let mut b = Batch::default();
    let regles = app::db::regles::regles(db).await?.into_iter().map(|r| r.regle).collect();
    let derogation_id = derogation::Entity::find().count(db).await? + 1;
    b.history = History::new(scale <= 1.0, today, regles, i32::try_from(derogation_id).unwrap_or(1), &refs.titres);

    let specials = seed_note::add(&mut b, &mut rng, &refs, db, now, today).await?;
    let special_counts = (specials.centres, specials.sites);

    let txn = db.begin().await?;
    // SQLite's page cache is 2 MB by default: at ×100 (a 1.1 GB file) the transaction spilled its pages to the WAL
    // and read them back for every index it updated. 512 MB for this one transaction (×100 generated in 88 s instead
    // of 125 s; 1.5 GB did no better), the connection's own size given back before the commit: the dirty pages stay
    // until written, the clean ones are freed as the connection goes on.
    let sqlite_cache_size = if txn.get_database_backend() == DbBackend::Sqlite {
        let pragma = Statement::from_string(DbBackend::Sqlite, "PRAGMA cache_size");
        let size: i64 = match txn.query_one_raw(pragma).await? {
            Some(row) => row.try_get_by_index(0)?,
            None => -2000,
        };
        txn.execute_unprepared("PRAGMA cache_size = -524288").await?;
        Some(size)
    } else {
        None
    };
    let indexes = drop_secondary_indexes(&txn).await?;
    // The rows go to the database as they are generated, 20 000 at a time, generated and made into INSERT statements
    // on a thread of their own. Generated whole first, the ×100 demo took 2.6 GB of memory and its first 12 s on one
    // core, more than half of it in the kernel handing the process new memory (`perf record`), before the first
    // insert; the statements were then built on the thread that sends them, while SQLite's waited. Each chunk is
    // inserted whole before the next, a table after those it refers to, so that every row refers to rows already in:
    // the same rows, with the same ids, as when they were generated whole. A failed insert drops the receiver, which
    // stops the generator, and rolls the transaction back.
    let (tx, mut rx) = tokio::sync::mpsc::channel(1);
    let backend = txn.get_database_backend();
    let generator = tokio::task::spawn_blocking(move || {
        generate_rows(b, rng, &refs, now, today, scale, special_counts, |b| {
            tx.blocking_send(b.take_statements(backend)).is_ok()
        })
    });
    while let Some(statements) = rx.recv().await {
        for statement in statements {
            txn.execute_raw(statement).await?;
        }
    }
    let mut b = match generator.await {
        Ok(b) => b?,
        Err(e) => match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(e) => return Err(DbErr::Custom(format!("génération interrompue : {e}")).into()),
        },
    };
    // Each row took the next id of its table.
    let count = |next: i32| usize::try_from(next).unwrap_or(0);
    let summary = DemoSummary {
        centres: count(b.next_centre),
        sites: count(b.next_site),
        agrements: count(b.next_agrement),
        sessions: count(b.next_session),
    };
    seed_note::add_accounts(&txn, &specials).await?;
    std::mem::take(&mut b.history).write(&txn).await?;
    for sql in indexes {
        txn.execute_unprepared(&sql).await?;
    }
    app::db::sync_sequences(&txn, WITH_IDS).await?;
    if let Some(size) = sqlite_cache_size {
        txn.execute_unprepared(&format!("PRAGMA cache_size = {size}")).await?;
    }
    txn.commit().await?;
    Ok(summary)
}

/// How many rows the generator hands over at a time (a few MB).
const CHUNK_ROWS: usize = 20_000;

/// The generated centres, sites and all that hangs on them, after the support note's (`seed_note`), handed to `send`
/// a chunk at a time; returns the batch with what is left in it (the history). Stops early, the batch as it is, when
/// the receiver has gone (an insert failed: the transaction is rolled back).
#[allow(clippy::too_many_arguments)]
fn generate_rows(
    mut b: Batch,
    mut rng: Rng,
    refs: &Refs,
    now: DateTime<Utc>,
    today: NaiveDate,
    scale: f64,
    (special_centres, special_sites): (usize, usize),
    send: impl Fn(&mut Batch) -> bool,
) -> Result<Batch, DemoError> {
    // Hands the rows over once there are enough of them; false once nobody takes them any more.
    let send_full = |b: &mut Batch| b.pending() < CHUNK_ROWS || send(b);
    let total_centres = ((NATIONAL_CENTRES as f64 * scale).round() as usize).max(special_centres + refs.regions.len());
    let total_sites = ((NATIONAL_SITES as f64 * scale).round() as usize).max(special_sites + total_centres);
    let active_titres: Vec<&titre::Model> = refs.titres.iter().filter(|t| t.fin_validite > today).collect();

    // Generated centres: one in each région first, then anywhere.
    let first_generated = b.next_centre + 1;
    let mut homes: Vec<usize> = Vec::new();
    for i in 0..(total_centres - special_centres) {
        let ci = if i < refs.regions.len() {
            *rng.pick(&refs.communes_by_region[&refs.regions[i]])
        } else {
            rng.below(refs.communes.len())
        };
        let commune = &refs.communes[ci];
        let (name, kind, reseau) = centre_name(&mut rng, refs, commune);
        let siret = b.new_siret(&mut rng);
        let overseas = commune.departement_code.len() == 3;
        let rep = rng.chance(70).then(|| person(&mut rng, overseas));
        let cp = Place { commune }.code_postal();
        b.add_centre(
            now,
            siret,
            &name,
            &address(&mut rng),
            cp,
            commune,
            refs.type_centre.get(kind).copied(),
            refs.reseau.get(reseau).copied(),
            rep,
        );
        homes.push(ci);
        if !send_full(&mut b) {
            return Ok(b);
        }
    }

    // Sites: each generated centre has one near home; the rest go to random centres, mostly in their région.
    let n_generated = homes.len();
    for k in 0..(total_sites - special_sites) {
        let idx = if k < n_generated { k } else { rng.below(n_generated) };
        let centre_id = first_generated + i32::try_from(idx).unwrap_or(0);
        let home = &refs.communes[homes[idx]];
        let commune = if k < n_generated && rng.chance(70) {
            home
        } else if rng.chance(85) {
            &refs.communes[*rng.pick(&refs.communes_by_region[&home.region_code])]
        } else {
            &refs.communes[rng.below(refs.communes.len())]
        };
        let centre_label = b.centre_rows[usize::try_from(centre_id - 1).unwrap_or(0)].1.clone();
        let nom = site_name(&mut rng, &centre_label, commune);
        let overseas = commune.departement_code.len() == 3;
        let rep = rng.chance(60).then(|| person(&mut rng, overseas));
        let site_id = b.add_site(now, centre_id, &nom, &address(&mut rng), &Place { commune }, rep);
        for _ in 0..rng.between(1, 4) {
            let t = *rng.pick(&active_titres);
            match rng.below(100) {
                0..=69 => {
                    b.add_agrement(now, site_id, t, today - Duration::days(rng.between(30, 2500)), None, "accorde")
                }
                70..=92 => {
                    let fin = today - Duration::days(rng.between(30, 2000));
                    b.add_agrement(now, site_id, t, fin - Duration::days(rng.between(365, 1800)), Some(fin), "termine");
                }
                93..=96 => b.add_agrement(
                    now,
                    site_id,
                    t,
                    today - Duration::days(rng.between(400, 2000)),
                    Some(today - Duration::days(rng.between(1, 200))),
                    "suspendu",
                ),
                _ => b.add_agrement(
                    now,
                    site_id,
                    t,
                    today - Duration::days(rng.between(400, 2000)),
                    Some(today - Duration::days(rng.between(1, 400))),
                    "retire",
                ),
            }
        }
        // An ended title leaves its ended agrément behind.
        if rng.chance(10) {
            let t = rng.pick(&refs.titres);
            if t.fin_validite <= today {
                b.add_agrement(
                    now,
                    site_id,
                    t,
                    t.fin_validite - Duration::days(rng.between(400, 2000)),
                    Some(t.fin_validite),
                    "termine",
                );
            }
        }
        let titres = b.site_titres.last().map(|(_, t)| t.clone()).unwrap_or_default();
        if !titres.is_empty() && rng.chance(30) {
            for _ in 0..rng.between(1, 3) {
                let (statut, debut) = session_state(&mut rng, today);
                let t = *rng.pick(&titres);
                b.add_session(&mut rng, now, today, site_id, t, statut, debut);
            }
        }
        if !send_full(&mut b) {
            return Ok(b);
        }
    }

    conventions::add(&mut b, refs, now, today, first_generated)?;
    // The last rows, then the batch (the history, the accounts' ids) back to the caller.
    send(&mut b);
    Ok(b)
}

/// The tables the demo fills with ids of its own: PostgreSQL's sequences are moved past them after the load. With the
/// audit trail (`audit::append` numbers its events and moves its own sequence), they are the tables whose secondary
/// indexes are built after their rows (`convention_titre`, filled too, has none).
const WITH_IDS: &[&str] = &[
    "centre",
    "site",
    "agrement",
    "session",
    "candidat",
    "demande_dte",
    "jury_membre",
    "app_user",
    "derogation",
    "convention",
];

/// SQLite: drops the secondary indexes of the tables the demo fills, within the demo's transaction, and returns the
/// statements that create them again, to be run after the rows are in. Maintained row by row, the indexes of a ×100
/// load were written in random order into a 1.1 GB file; built after it, each is one sort (×100 loaded in 71 s
/// instead of 105 s, same data: BENCHMARKS.md, eleventh round). The indexes SQLite makes
/// for UNIQUE and PRIMARY KEY constraints (no SQL of their own) stay; so does every other constraint. A failure
/// anywhere rolls the transaction back, the dropped indexes with it. PostgreSQL keeps its indexes: dropping one would
/// lock its table against every replica's readers until the load commits.
async fn drop_secondary_indexes(txn: &DatabaseTransaction) -> Result<Vec<String>, DbErr> {
    if txn.get_database_backend() != DbBackend::Sqlite {
        return Ok(Vec::new());
    }
    let tables = WITH_IDS.iter().chain(&["audit_event"]).map(|t| format!("'{t}'")).collect::<Vec<_>>().join(", ");
    let rows = txn
        .query_all_raw(Statement::from_string(
            DbBackend::Sqlite,
            format!(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({tables}) \
                 ORDER BY name"
            ),
        ))
        .await?;
    let mut create = Vec::with_capacity(rows.len());
    for row in rows {
        let name: String = row.try_get_by_index(0)?;
        create.push(row.try_get_by_index(1)?);
        txn.execute_unprepared(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\""))).await?;
    }
    Ok(create)
}

pub(crate) fn hash_demo_password() -> String {
    passwords::hash(DEMO_PASSWORD).unwrap_or_default()
}
