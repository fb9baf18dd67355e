//! The cases of the 2019 support note, exactly: the « Centre de reprise » with « FCMB- Floirac » and other orphan
//! sites, the centres shown on its screens, the two companies not yet registered, and the demo accounts.

use app::db::entity::{app_user, commune, titre};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, Set};

use super::{Batch, DemoError, Place, Refs, hash_demo_password, person, rng::Rng, session_state};

pub const DEMO_PASSWORD: &str = "ceres-demo";

/// A demo account. The two DREETS agents carry the names seen on the support note's screens.
pub struct DemoAccount {
    pub identifiant: &'static str,
    pub role: &'static str,
    /// What the start banner says of it.
    pub label: &'static str,
    pub region: Option<&'static str>,
    pub departement: Option<&'static str>,
    pub centre_siret: Option<&'static str>,
    /// The name shown in the header.
    pub nom: &'static str,
}

const fn account(
    identifiant: &'static str,
    role: &'static str,
    label: &'static str,
    territory: (Option<&'static str>, Option<&'static str>, Option<&'static str>),
    nom: &'static str,
) -> DemoAccount {
    DemoAccount {
        identifiant,
        role,
        label,
        region: territory.0,
        departement: territory.1,
        centre_siret: territory.2,
        nom,
    }
}

pub const ACCOUNTS: &[DemoAccount] = &[
    account("admin", "national", "administration nationale (DGEFP)", (None, None, None), "Administration DGEFP"),
    account("dreets-naq", "dreets", "DREETS Nouvelle-Aquitaine", (Some("75"), None, None), "Corinne Le Delin"),
    account("dreets-occ", "dreets", "DREETS Occitanie", (Some("76"), None, None), "Wilfried Silbert"),
    account("ud-33", "ud", "UD Gironde (33)", (None, Some("33"), None), "Hélène Garnier"),
    account("ud-30", "ud", "UD Gard (30)", (None, Some("30"), None), "Karim Benoit"),
    account("centre-1630", "centre", "centre 16 30 FORMATION", (None, None, Some("53060076600022")), "Sophie Martin"),
];

/// A company the demo registry knows but CERES does not (yet): the support note registers them.
pub struct Company {
    pub siret: &'static str,
    pub raison_sociale: &'static str,
    pub adresse: &'static str,
    pub code_postal: &'static str,
    pub commune: &'static str,
}

pub const NOT_REGISTERED: &[Company] = &[
    Company {
        siret: "78184280200048",
        raison_sociale: "FEDERATION COMPAGNONNIQUE BATIMENT FLOIRAC",
        adresse: "2 RUE DES COMPAGNONS",
        code_postal: "33270",
        commune: "33167",
    },
    Company {
        siret: "38939456000020",
        raison_sociale: "ELEGIA",
        adresse: "76 BD PASTEUR",
        code_postal: "75015",
        commune: "75115",
    },
];

/// Orphan sites the VALCE migration attached to the centre de reprise, across régions.
const ORPHANS: &[(&str, &str, &str)] = &[
    ("CFA du Bâtiment – Limoges", "87085", "87000"),
    ("Lycée professionnel Jean Moulin – Rennes", "35238", "35000"),
    ("Plateau technique Dijon Valmy", "21231", "21000"),
    ("Centre de formation Metz Borny", "57463", "57070"),
    ("Atelier soudure – Rouen rive gauche", "76540", "76100"),
    ("Site Orléans La Source", "45234", "45100"),
    ("Pôle tertiaire Montpellier Millénaire", "34172", "34000"),
    ("Antenne Nice Saint-Isidore", "06088", "06200"),
    ("Centre de formation d'Ajaccio", "2A004", "20090"),
    ("Plateau logistique Clermont-Ferrand", "63113", "63100"),
    ("Site de Fort-de-France – Dillon", "97209", "97200"),
    ("Centre de Saint-Denis – Moufia", "97411", "97490"),
    ("Atelier métallerie Amiens Nord", "80021", "80080"),
];

pub struct Specials {
    pub centres: usize,
    pub sites: usize,
    pub centre_1630: i32,
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

async fn commune_by_code(db: &impl ConnectionTrait, code: &str) -> Result<commune::Model, DemoError> {
    commune::Entity::find_by_id(code.to_owned())
        .one(db)
        .await?
        .ok_or_else(|| DemoError::MissingReference(format!("commune {code}")))
}

fn titre<'a>(refs: &'a Refs, code: &str) -> Result<&'a titre::Model, DemoError> {
    refs.titre_by_code.get(code).ok_or_else(|| DemoError::MissingReference(format!("titre {code}")))
}

/// A place with the postal code the support note prints (some communes have several).
struct At {
    commune: commune::Model,
    code_postal: &'static str,
}

pub(super) async fn add(
    b: &mut Batch,
    rng: &mut Rng,
    refs: &Refs,
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<Specials, DemoError> {
    let at = |commune: commune::Model, code_postal: &'static str| At { commune, code_postal };
    let tc = |k: &str| refs.type_centre.get(k).copied();
    let rs = |k: &str| refs.reseau.get(k).copied();

    // The centre de reprise (support note): SIRET printed with 13 zeros, KLEE, 92350 LE PLESSIS ROBINSON.
    let plessis = at(commune_by_code(db, "92060").await?, "92350");
    let reprise = b.add_centre(
        now,
        app::domain::siret::CENTRE_DE_REPRISE_SIRET.into(),
        "Centre de reprise",
        "KLEE",
        plessis.code_postal.into(),
        &plessis.commune,
        None,
        None,
        None,
    );
    b.history.set_reprise(reprise);
    let floirac = commune_by_code(db, "33167").await?;
    let fcmb =
        b.add_site(now, reprise, "FCMB- Floirac", "ZONE ARTISANALE DE FLOIRAC", &Place { commune: &floirac }, None);
    b.add_agrement(now, fcmb, titre(refs, "TP-90016")?, date(2018, 10, 19), None, "accorde");
    b.add_agrement(now, fcmb, titre(refs, "TP-90296")?, date(2017, 8, 2), None, "accorde");
    b.add_agrement(now, fcmb, titre(refs, "TP-90296")?, date(2014, 3, 12), Some(date(2019, 1, 22)), "termine");
    b.add_agrement(now, fcmb, titre(refs, "TP-91239")?, date(2015, 6, 1), Some(date(2019, 1, 22)), "termine");
    b.add_agrement(now, fcmb, titre(refs, "TP-91239")?, date(2016, 9, 15), Some(date(2019, 1, 22)), "termine");
    let plaquiste = titre(refs, "TP-90016")?.id;
    b.add_session(rng, now, today, fcmb, plaquiste, "en_preparation", today + Duration::days(150));
    b.add_session(rng, now, today, fcmb, plaquiste, "dte_envoye", today + Duration::days(70));
    let mut sites = 1;
    for (nom, code, cp) in ORPHANS {
        let c = commune_by_code(db, code).await?;
        let mut place_commune = c.clone();
        place_commune.codes_postaux = (*cp).to_owned();
        let s = b.add_site(now, reprise, nom, &super::address(rng), &Place { commune: &place_commune }, None);
        let t = *rng.pick(&refs.titres.iter().filter(|t| t.fin_validite > today).collect::<Vec<_>>());
        b.add_agrement(now, s, t, today - Duration::days(rng.between(200, 2000)), None, "accorde");
        sites += 1;
    }

    // 16 30 FORMATION, Bagnols-sur-Cèze (Gard): the centre whose user account the demo provides.
    let bagnols = at(commune_by_code(db, "30028").await?, "30200");
    let c1630 = b.add_centre(
        now,
        "53060076600022".into(),
        "16 30 FORMATION",
        "RUE DU 19 MARS 1962 IMMEUBLE LE MUREL",
        bagnols.code_postal.into(),
        &bagnols.commune,
        tc("Organisme de formation privé"),
        rs("Aucun réseau"),
        None,
    );
    let s1630 = b.add_site(
        now,
        c1630,
        "16 30 FORMATION – Bagnols-sur-Cèze",
        "RUE DU 19 MARS 1962 IMMEUBLE LE MUREL",
        &Place { commune: &bagnols.commune },
        Some(person(rng, false)),
    );
    for code in ["TP-01318", "TP-00402", "TP-00219"] {
        b.add_agrement(now, s1630, titre(refs, code)?, date(2019, 3, 4), None, "accorde");
    }
    for (i, code) in ["TP-01318", "TP-00402", "TP-00219", "TP-01318", "TP-00402", "TP-01318"].iter().enumerate() {
        let (statut, debut) = match i {
            0 => ("en_preparation", today + Duration::days(120)),
            1 => ("dte_envoye", today + Duration::days(60)),
            2 => ("convocations_envoyees", today + Duration::days(20)),
            3 => ("resultats_saisis", today - Duration::days(10)),
            4 => ("validee", today - Duration::days(90)),
            _ => session_state(rng, today),
        };
        b.add_session(rng, now, today, s1630, titre(refs, code)?.id, statut, debut);
    }
    sites += 1;

    // AFPA, Saint-Nazaire: the « Centre AFPA de Saint Nazaire » site with the agréments of the note's screen.
    let st_nazaire = at(commune_by_code(db, "44184").await?, "44600");
    let afpa = b.add_centre(
        now,
        "82422814201098".into(),
        "AGENCE NATIONALE POUR LA FORMATION PROFESSIONNELLE DES ADULTES",
        "333 RTE DE LA COTE D AMOUR",
        st_nazaire.code_postal.into(),
        &st_nazaire.commune,
        tc("AFPA"),
        rs("AFPA"),
        None,
    );
    let s_afpa = b.add_site(
        now,
        afpa,
        "Centre AFPA de Saint Nazaire",
        "333 RTE DE LA COTE D AMOUR",
        &Place { commune: &st_nazaire.commune },
        Some(person(rng, false)),
    );
    for (code, accorde, fin, statut) in [
        ("TP-90048", date(2012, 5, 10), Some(date(2019, 1, 22)), "termine"),
        ("TP-90048", date(2015, 9, 1), Some(date(2019, 1, 22)), "termine"),
        ("TP-90241", date(2009, 4, 29), Some(date(2018, 1, 24)), "termine"),
        ("TP-90242", date(2006, 1, 1), Some(date(2011, 12, 31)), "termine"),
        ("TP-90242", date(2012, 1, 1), Some(date(2013, 2, 8)), "termine"),
        ("TP-91248", date(2017, 1, 25), None, "accorde"),
        ("TP-91248", date(2017, 1, 25), None, "accorde"),
    ] {
        b.add_agrement(now, s_afpa, titre(refs, code)?, accorde, fin, statut);
    }
    sites += 1;

    // The other centres of the search screen.
    let fort_de_france = at(commune_by_code(db, "97209").await?, "97200");
    let rsma = b.add_centre(
        now,
        "13000363500013".into(),
        "1er RSMA",
        "QUARTIER DESAIX",
        fort_de_france.code_postal.into(),
        &fort_de_france.commune,
        tc("Établissement public"),
        rs("Service militaire adapté"),
        None,
    );
    b.add_site(
        now,
        rsma,
        "1er RSMA – Fort-de-France",
        "QUARTIER DESAIX",
        &Place { commune: &fort_de_france.commune },
        None,
    );
    let creteil = at(commune_by_code(db, "94028").await?, "94000");
    let i2f = b.add_centre(
        now,
        "49219528400046".into(),
        "2I-F",
        "12 RUE DU PORT",
        creteil.code_postal.into(),
        &creteil.commune,
        tc("Organisme de formation privé"),
        rs("Aucun réseau"),
        None,
    );
    b.add_site(now, i2f, "2I-F Créteil", "12 RUE DU PORT", &Place { commune: &creteil.commune }, None);
    let roubaix = at(commune_by_code(db, "59512").await?, "59100");
    let tourcoing = commune_by_code(db, "59599").await?;
    let siret_pb = b.new_siret(rng);
    let pb = b.add_centre(
        now,
        siret_pb,
        "LES PAPILLONS BLANCS ROUBAIX TOURCOING",
        "26 RUE DE LA FOSSE AUX CHENES",
        roubaix.code_postal.into(),
        &roubaix.commune,
        tc("Association"),
        rs("Aucun réseau"),
        None,
    );
    b.add_site(
        now,
        pb,
        "(IMPRO) Le Roitelet-Papillons Blancs de Roubaix Tourcoing",
        "40 RUE DU ROITELET",
        &Place { commune: &tourcoing },
        None,
    );
    let nantes = at(commune_by_code(db, "44109").await?, "44000");
    let siret_opus = b.new_siret(rng);
    let opus = b.add_centre(
        now,
        siret_opus,
        "OPUS FORMATION",
        "5 RUE DE LA FONDERIE",
        nantes.code_postal.into(),
        &nantes.commune,
        tc("Organisme de formation privé"),
        rs("Aucun réseau"),
        None,
    );
    b.add_site(now, opus, "OPUS FORMATION", "5 RUE DE LA FONDERIE", &Place { commune: &nantes.commune }, None);
    sites += 4;

    // The two companies are known to the registry only: reserve their SIRETs so no generated centre takes them.
    for c in NOT_REGISTERED {
        b.sirets.insert(c.siret.to_owned());
    }
    Ok(Specials { centres: b.centres.len(), sites, centre_1630: c1630 })
}

pub(super) async fn add_accounts(db: &impl ConnectionTrait, specials: &Specials) -> Result<(), DbErr> {
    let hash = hash_demo_password();
    for a in ACCOUNTS {
        app_user::ActiveModel {
            identifiant: Set(a.identifiant.to_owned()),
            password_hash: Set(hash.clone()),
            nom_affiche: Set(a.nom.to_owned()),
            role: Set(a.role.to_owned()),
            region_code: Set(a.region.map(str::to_owned)),
            departement_code: Set(a.departement.map(str::to_owned)),
            centre_id: Set(a.centre_siret.map(|_| specials.centre_1630)),
            active: Set(true),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}
