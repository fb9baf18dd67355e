//! The titres professionnels referential loaded at start: code, libellé, niveau, end of validity, CCPs.
//!
//! Sources: the 2019 support note (TP-01318 and the titles on its screens), public RNCP records and the ministry's
//! published référentiels (REAC / RE headers print the « Code titre ») for the titles marked `verifie: true`, whose
//! codes and CCP numbers are the published ones; three of them (commented where they stand) were read instead from
//! training centres' published course material or candidates' project files, which quote the code with its REAC.
//! The libellés of the other entries are real titres professionnels, but their codes are PLACEHOLDERS: no source
//! reachable here lists them. They are written TP-9NNNN, a range the ministry's codes (TP-00001 to TP-01500 or so)
//! do not reach, so that a placeholder can never be taken for, or collide with, a real code (TP-00070, a placeholder
//! until 01/12/2026, is the real code of another title).
//! Replace them from the ministry's list of titres (the « Code titre » of each REAC) before production use: RNCP
//! records do not carry these codes.
//! End-of-validity dates of titles still in force are indicative, except where an arrêté or an RNCP record gave the
//! end of the registration. For ended titles it is the end of the registration or, where only the creating (or, as
//! commented, the last amending) arrêté is known, its publication date plus the review delay.
//! On 01/12/2026 the placeholder libellés in doubt were checked against the arrêtés and RNCP records reachable here:
//! those that turned out to be branch CQPs, Éducation nationale diplomas or unknown titles were replaced by titles
//! whose arrêté was found, or removed.

pub struct TitreRef {
    pub code: &'static str,
    pub libelle: &'static str,
    pub niveau: i16,
    pub fin_validite: &'static str,
    pub verifie: bool,
    pub ccps: &'static [(&'static str, &'static str)],
}

const fn t(code: &'static str, libelle: &'static str, niveau: i16, fin_validite: &'static str) -> TitreRef {
    TitreRef { code, libelle, niveau, fin_validite, verifie: false, ccps: &[] }
}

/// A title whose code is the published one (its REAC or RE names it), without its CCPs.
const fn v(code: &'static str, libelle: &'static str, niveau: i16, fin_validite: &'static str) -> TitreRef {
    TitreRef { code, libelle, niveau, fin_validite, verifie: true, ccps: &[] }
}

pub const TITRES: &[TitreRef] = &[
    TitreRef {
        code: "TP-01318",
        libelle: "Employé(e) administratif(ve) et d'accueil",
        niveau: 3,
        fin_validite: "2027-06-30",
        verifie: true,
        ccps: &[],
    },
    TitreRef {
        code: "TP-00402",
        libelle: "Secrétaire comptable",
        niveau: 4,
        fin_validite: "2028-03-31",
        verifie: true,
        ccps: &[
            ("CP-003056", "Assurer les travaux administratifs de secrétariat au quotidien"),
            ("CP-003057", "Assurer les opérations comptables au quotidien"),
            ("CP-003058", "Préparer les opérations comptables périodiques"),
        ],
    },
    TitreRef {
        code: "TP-00140",
        libelle: "Gestionnaire comptable et fiscal",
        niveau: 5,
        fin_validite: "2028-07-21",
        verifie: true,
        ccps: &[
            ("CP-003179", "Établir et présenter les arrêtés comptables périodiques et annuels"),
            ("CP-003180", "Renseigner et contrôler les déclarations fiscales"),
            ("CP-003181", "Établir et présenter les états prévisionnels de l'activité de l'entreprise"),
        ],
    },
    TitreRef {
        code: "TP-01284",
        libelle: "Assistant(e) ressources humaines",
        niveau: 5,
        fin_validite: "2027-11-04",
        verifie: true,
        ccps: &[
            ("CP-002821", "Assurer les missions opérationnelles de la gestion des ressources humaines"),
            ("CP-002822", "Contribuer au développement des ressources humaines"),
        ],
    },
    TitreRef {
        code: "TP-01293",
        libelle: "Assistant(e) de direction",
        niveau: 5,
        // End of registration of RNCP38667.
        fin_validite: "2029-07-29",
        verifie: true,
        ccps: &[
            ("CP-003285", "Assurer les fonctions de support administratif et organisationnel à l'équipe de direction"),
            ("CP-003286", "Organiser et suivre les projets et dossiers spécifiques de l'équipe de direction"),
        ],
    },
    TitreRef {
        code: "TP-01348",
        libelle: "Chargé(e) d'accueil touristique et de loisirs",
        niveau: 4,
        fin_validite: "2028-08-01",
        verifie: true,
        ccps: &[
            ("CP-003124", "Gérer une relation clientèle sur une destination et/ou un lieu touristique"),
            ("CP-003125", "Assister la clientèle sur des prestations touristiques et de loisirs"),
            ("CP-003126", "Contribuer à la mise en œuvre d'événements festifs et culturels"),
        ],
    },
    TitreRef {
        code: "TP-00219",
        libelle: "Employé(e) commercial(e)",
        niveau: 3,
        fin_validite: "2027-09-01",
        verifie: true,
        ccps: &[
            (
                "CP-003062",
                "Mettre à disposition des clients les produits de l'unité marchande dans un environnement omnicanal",
            ),
            ("CP-003063", "Accueillir les clients et répondre à leur demande dans un environnement omnicanal"),
        ],
    },
    TitreRef {
        code: "TP-00520",
        libelle: "Conseiller(ère) de vente",
        niveau: 4,
        fin_validite: "2027-09-01",
        verifie: true,
        ccps: &[
            (
                "CP-003060",
                "Contribuer à l'efficacité commerciale d'une unité marchande dans un environnement omnicanal",
            ),
            ("CP-003061", "Améliorer l'expérience client dans un environnement omnicanal"),
        ],
    },
    TitreRef {
        code: "TP-00350",
        libelle: "Formateur(trice) professionnel(le) d'adultes",
        niveau: 5,
        fin_validite: "2028-05-01",
        verifie: true,
        ccps: &[
            ("CP-003098", "Concevoir et préparer la formation"),
            ("CP-003099", "Animer une formation et évaluer les acquis des apprenants"),
            ("CP-003100", "Accompagner les apprenants en formation"),
            (
                "CP-003101",
                "Inscrire sa pratique professionnelle dans une démarche de qualité et de responsabilité sociale des entreprises",
            ),
        ],
    },
    // Titles on the support note's screens (2019), several since replaced.
    t("TP-90016", "Plaquiste-plâtrier", 3, "2029-12-31"),
    // The same line of titles under its current name (plaquiste since 05/03/2023, for five years); the 2007 REAC
    // gives its code.
    v("TP-00325", "Plaquiste", 3, "2028-03-04"),
    // Still registered: RNCP39519 ends on 14/04/2030. (The 22/01/2019 of the screens is the end of one of the
    // site's agréments, not of the title: its other agrément, of 02/08/2017, is still granted.)
    t("TP-90296", "Technicien d'études du bâtiment en dessin de projet", 4, "2030-04-14"),
    t("TP-91239", "Technicien(ne) d'études du bâtiment, option dessin de projet", 4, "2019-01-22"),
    t("TP-90048", "Tuyauteur industriel", 3, "2019-01-22"),
    // Former names of conseiller de vente (TP-00520 above), as the screens show them; the arrêté of 28/09/2022
    // renamed the title.
    t("TP-90241", "Vendeur(se) conseil en magasin", 4, "2014-04-29"),
    t("TP-90242", "Vendeur(se) spécialisé(e) en magasin", 3, "2013-02-08"),
    t("TP-91248", "Vendeur-conseil en magasin", 4, "2018-12-25"),
    // Bâtiment et travaux publics.
    t("TP-90001", "Maçon(ne)", 3, "2028-12-31"),
    v("TP-01332", "Coffreur(se) bancheur(se)", 3, "2028-12-31"),
    // Revised by the arrêté of 22/11/2021, registered for five years from 07/03/2022.
    t("TP-90004", "Couvreur(se)-zingueur(se)", 3, "2027-03-06"),
    t("TP-90005", "Carreleur(se) chapiste", 3, "2028-06-30"),
    t("TP-90006", "Peintre en bâtiment", 3, "2027-08-17"),
    t("TP-90007", "Charpentier(ère) poseur(se) bois", 3, "2006-05-11"),
    t("TP-90008", "Charpentier(ère) bois", 3, "2029-03-31"),
    v("TP-01302", "Constructeur(trice) bois", 3, "2028-12-31"),
    t("TP-90009", "Coffreur(se) génie civil", 3, "2006-09-24"),
    t("TP-90010", "Façadier(ère)-peintre", 3, "2028-09-30"),
    v("TP-00467", "Électricien(ne) d'équipement du bâtiment", 3, "2029-06-30"),
    t("TP-90012", "Installateur(trice) en thermique et sanitaire", 3, "2026-03-02"),
    t("TP-90093", "Plombier(ère) chauffagiste", 3, "2031-03-02"),
    t("TP-90013", "Technicien(ne) d'installation en équipements de confort climatique", 4, "2029-06-30"),
    t("TP-90014", "Technicien(ne) de maintenance d'équipements de confort climatique", 4, "2029-06-30"),
    v(
        "TP-00312",
        "Technicien(ne) d'intervention et de maintenance énergétique en conditionnement d'air",
        4,
        "2016-08-04",
    ),
    t("TP-90015", "Monteur(se) dépanneur(se) frigoriste", 3, "2028-12-31"),
    // Registered for five years from 20/04/2016 (arrêté of 21/03/2016); agent de maintenance des bâtiments
    // (RNCP35510) follows it from 20/04/2021.
    t("TP-90017", "Agent(e) d'entretien du bâtiment", 3, "2021-04-19"),
    t("TP-90018", "Canalisateur(trice)", 3, "2029-12-31"),
    t("TP-90019", "Maçon(ne) en voirie et réseaux divers", 3, "2028-12-31"),
    t(
        "TP-90020",
        "Conducteur(trice) d'engins de travaux publics – pelle hydraulique et chargeuse pelleteuse",
        3,
        "2028-12-31",
    ),
    v("TP-01337", "Conducteur(trice) de travaux du bâtiment et du génie civil", 5, "2029-06-30"),
    t("TP-90022", "Chef(fe) d'équipe gros œuvre", 4, "2028-12-31"),
    v("TP-00262", "Technicien(ne) supérieur(e) du bâtiment option économie de la construction", 5, "2029-06-30"),
    t("TP-90025", "Technicien(ne) en systèmes de surveillance-intrusion et de vidéoprotection", 4, "2020-12-27"),
    v("TP-01361", "BIM modeleur(se) du bâtiment", 5, "2030-04-14"),
    t(
        "TP-90026",
        "Technicien(ne) d'intervention en chauffage, climatisation, sanitaire et énergies renouvelables",
        4,
        "2031-03-02",
    ),
    TitreRef {
        code: "TP-00288",
        libelle: "Menuisier(ère) d'agencement",
        niveau: 3,
        fin_validite: "2028-12-31",
        verifie: true,
        ccps: &[],
    },
    v("TP-00362", "Poseur(se) installateur(trice) de menuiseries, fermetures et équipements", 3, "2028-06-30"),
    t("TP-90029", "Constructeur(trice) en béton armé", 3, "2008-11-07"),
    t("TP-90030", "Installateur(trice) en pompe à chaleur et climatisation", 3, "2031-02-25"),
    // Industrie.
    t("TP-90031", "Soudeur(se) assembleur(se) industriel(le)", 3, "2028-12-31"),
    t("TP-90032", "Soudeur(se) TIG électrode enrobée", 3, "2028-12-31"),
    // End of validity: its first registration (arrêté du 22/12/2003, five years).
    v("TP-00125", "Technicien(ne) en soudage", 4, "2009-01-06"),
    t("TP-90033", "Chaudronnier(ère)", 4, "2029-06-30"),
    t("TP-90034", "Tourneur(se) en réalisation de pièces mécaniques", 3, "2028-12-31"),
    t("TP-90035", "Fraiseur(se) en réalisation de pièces mécaniques", 3, "2028-12-31"),
    t("TP-90036", "Technicien(ne) d'usinage assisté par ordinateur", 4, "2030-12-07"),
    t("TP-90037", "Agent(e) de fabrication industrielle", 3, "2028-06-30"),
    t("TP-90038", "Conducteur(trice) d'installations et de machines automatisées", 3, "2028-12-31"),
    // Renewed from 09/01/2026 to 08/01/2031 (RNCP41536).
    v("TP-00442", "Technicien(ne) de maintenance industrielle", 4, "2031-01-08"),
    t("TP-90040", "Électricien(ne) d'installation et de maintenance des systèmes automatisés", 3, "2029-03-21"),
    v("TP-00240", "Technicien(ne) supérieur(e) de maintenance industrielle", 5, "2029-06-30"),
    // End of registration of RNCP35510; no later registration was found here.
    t("TP-90042", "Agent(e) de maintenance des bâtiments", 3, "2026-04-19"),
    t("TP-90043", "Technicien(ne) en électricité et automatismes du bâtiment", 4, "2029-06-30"),
    TitreRef {
        code: "TP-00266",
        libelle: "Technicien(ne) d'équipement et d'exploitation en électricité",
        niveau: 4,
        fin_validite: "2029-06-30",
        verifie: true,
        ccps: &[],
    },
    t("TP-90044", "Agent(e) de maintenance CVC", 3, "2029-07-31"),
    t("TP-90045", "Agent(e) de maintenance sur systèmes automatisés", 3, "2009-03-22"),
    t("TP-90046", "Régleur(se) décolleteur(se) sur tour automatique", 3, "2009-03-22"),
    t("TP-90024", "Fraiseur(se) d'outillages en commande numérique", 3, "2009-12-25"),
    t("TP-90047", "Technicien(ne) en chaudronnerie", 4, "2029-06-30"),
    // Transport, logistique, automobile.
    v("TP-00070", "Conducteur(trice) du transport routier de marchandises sur porteur", 3, "2028-12-31"),
    t("TP-90051", "Conducteur(trice) du transport routier de marchandises sur tous véhicules", 3, "2029-12-31"),
    t("TP-90052", "Conducteur(trice) du transport routier interurbain de voyageurs", 3, "2028-12-31"),
    v("TP-00071", "Conducteur(trice) de transport en commun sur route", 3, "2028-12-31"),
    t("TP-90054", "Agent(e) magasinier(ère)", 3, "2028-06-30"),
    t("TP-90055", "Préparateur(trice) de commandes en entrepôt", 3, "2028-06-30"),
    t("TP-90056", "Cariste d'entrepôt", 3, "2028-06-30"),
    t("TP-90057", "Technicien(ne) en logistique d'entreposage", 4, "2029-06-30"),
    t("TP-90058", "Technicien(ne) supérieur(e) en transport logistique", 5, "2020-08-23"),
    t("TP-90059", "Gestionnaire des opérations de transport routier de marchandises", 5, "2030-08-23"),
    t("TP-90083", "Organisateur(trice) de transports aériens ou maritimes de marchandises", 5, "2030-08-23"),
    t("TP-90060", "Mécanicien(ne) automobile", 3, "2028-12-31"),
    v("TP-00445", "Technicien(ne) électromécanicien(ne) automobile", 4, "2028-12-31"),
    v("TP-00082", "Carrossier(ère) réparateur(trice)", 3, "2028-12-31"),
    t("TP-90063", "Peintre automobile", 3, "2028-12-31"),
    t("TP-90064", "Mécanicien(ne) réparateur(trice) de véhicules industriels", 3, "2026-02-26"),
    t(
        "TP-90085",
        "Mécanicien(ne) de maintenance de véhicules de transport routier – personnes et marchandises",
        3,
        "2031-02-26",
    ),
    v("TP-01303", "Enseignant(e) de la conduite et de la sécurité routière", 5, "2029-06-30"),
    // Hôtellerie, restauration, tourisme.
    v("TP-00358", "Cuisinier(ère)", 3, "2028-12-31"),
    t("TP-90067", "Commis de cuisine", 3, "2029-06-05"),
    TitreRef {
        code: "TP-00208",
        libelle: "Agent(e) de restauration",
        niveau: 3,
        fin_validite: "2028-06-30",
        verifie: true,
        ccps: &[],
    },
    t("TP-90069", "Serveur(se) en restauration", 3, "2027-01-07"),
    t("TP-90070", "Barman(maid)", 3, "2028-12-31"),
    t("TP-90071", "Réceptionniste en hôtellerie", 4, "2028-12-31"),
    v("TP-00259", "Employé(e) d'étage en hôtellerie", 3, "2028-06-30"),
    t("TP-90073", "Gouvernant(e) en hôtellerie", 4, "2028-12-31"),
    v("TP-00169", "Responsable de petite et moyenne structure", 5, "2029-06-30"),
    // Commerce, gestion, tertiaire.
    // Manager d'unité marchande (its RE gives the code) until 02/03/2026, renamed by the arrêté of 04/12/2025 and
    // registered under its new name for five years from 03/03/2026.
    v("TP-00136", "Manager d'établissement marchand", 5, "2031-03-02"),
    TitreRef {
        code: "TP-00338",
        libelle: "Négociateur(trice) technico-commercial(e)",
        niveau: 5,
        fin_validite: "2028-12-31",
        verifie: true,
        ccps: &[],
    },
    v("TP-01285", "Assistant(e) commercial(e)", 5, "2028-12-31"),
    // End of registration of RNCP37948 (revised from 29/12/2023 for five years).
    v("TP-01254", "Gestionnaire de paie", 5, "2028-12-29"),
    t("TP-90080", "Comptable assistant(e)", 4, "2028-12-31"),
    v("TP-00374", "Secrétaire assistant(e)", 4, "2028-12-31"),
    v("TP-00057", "Secrétaire assistant(e) médico-social(e)", 4, "2028-12-31"),
    v("TP-00483", "Conseiller(ère) relation client à distance", 4, "2028-12-31"),
    t("TP-90086", "Agent(e) administratif(ve) et d'accueil", 3, "2019-01-22"),
    // Services à la personne, santé, social, propreté, sécurité.
    // Code from a training centre's published course data (« code TP-00391 »), not a REAC.
    v("TP-00391", "Assistant(e) de vie aux familles", 3, "2028-12-31"),
    // Created from 05/10/2020 (arrêté of 10/07/2020), renewed from 05/10/2025 to 04/10/2030 (RNCP41365).
    t("TP-90089", "Agent(e) de service médico-social", 3, "2030-10-04"),
    t("TP-90090", "Conseiller(ère) en insertion professionnelle", 5, "2028-03-22"),
    t("TP-90091", "Médiateur(trice) social(e) accès aux droits et services", 4, "2028-12-31"),
    t("TP-90092", "Agent(e) de propreté et d'hygiène", 3, "2028-08-12"),
    v("TP-01373", "Agent(e) de sûreté et de sécurité privée", 4, "2028-12-31"),
    // Created by the arrêté du 07/09/2004; abrogated on 16/09/2013 for « opérateur(trice) en surveillance à distance ».
    v("TP-00228", "Opérateur(trice) de station centrale de télésurveillance", 3, "2013-09-15"),
    // Code read from the REAC of its former name, Ouvrier du paysage (OP, TP-00463): a renamed title keeps its code.
    v("TP-00463", "Ouvrier(ère) paysagiste", 3, "2028-10-28"),
    // Numérique.
    v("TP-01280", "Développeur(se) web et web mobile", 5, "2028-12-31"),
    // End of registration of RNCP37873.
    v("TP-01281", "Concepteur(trice) développeur(se) d'applications", 6, "2028-12-18"),
    // Its REAC (validated 27/02/2019) is quoted, code and activities, by a training centre's published course material.
    v("TP-00304", "Installateur(trice) dépanneur(se) en informatique", 3, "2028-12-31"),
    v("TP-00476", "Technicien(ne) d'assistance en informatique", 4, "2028-12-31"),
    v("TP-01351", "Technicien(ne) supérieur(e) systèmes et réseaux", 5, "2028-12-31"),
    // Created by the arrêté du 09/12/2003, amended at the JO of 19/02/2013; no end of registration found here, so the
    // date is that amendment plus five years (indicative).
    v(
        "TP-00495",
        "Technicien(ne) supérieur(e) gestionnaire exploitant(e) de ressources informatiques",
        5,
        "2018-02-18",
    ),
    v("TP-01352", "Administrateur(trice) d'infrastructures sécurisées", 6, "2029-06-30"),
    v("TP-00469", "Designer web", 5, "2028-12-31"),
    // Registered from 13/07/2019 for five years; renamed « Médiateur numérique » by the arrêté du 20/05/2025.
    v("TP-01336", "Responsable d'espace de médiation numérique", 5, "2024-07-12"),
    t("TP-90106", "Infographiste metteur(se) en page", 4, "2028-12-31"),
    v("TP-01236", "Monteur(se) audiovisuel(le)", 5, "2029-05-12"),
    t("TP-90107", "Installateur(trice) de réseaux de télécommunications en fibre optique", 3, "2028-03-07"),
    t("TP-90108", "Installateur(trice) de réseaux câblés de communications", 3, "2028-12-31"),
    v("TP-00471", "Technicien(ne) de réseaux de télécommunications", 4, "2028-12-31"),
    v("TP-01411", "Concepteur(trice) designer UI", 6, "2029-06-30"),
    // Created by the arrêté du 27/10/2021, registered for five years from 01/12/2021. Its code is quoted, with its
    // REAC, by candidates' published project files (« Code titre : TP-01414 — RNCP36061 »), not read from the REAC.
    v("TP-01414", "Administrateur(trice) système DevOps", 6, "2026-11-30"),
];

#[cfg(test)]
mod tests {
    use super::TITRES;

    #[test]
    fn placeholder_codes_stay_out_of_the_ministrys_range() {
        for t in TITRES {
            assert_eq!(t.code.starts_with("TP-9"), !t.verifie, "{} {}", t.code, t.libelle);
        }
    }

    #[test]
    fn at_least_a_hundred_titles_with_well_formed_unique_codes() {
        assert!(TITRES.len() >= 100, "{}", TITRES.len());
        let mut codes: Vec<_> = TITRES.iter().map(|t| t.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), TITRES.len(), "duplicate code");
        for t in TITRES {
            assert!(t.code.len() == 8 && t.code.starts_with("TP-") && t.code[3..].bytes().all(|b| b.is_ascii_digit()));
            assert!(chrono::NaiveDate::parse_from_str(t.fin_validite, "%Y-%m-%d").is_ok(), "{}", t.code);
            for (i, (code, _)) in t.ccps.iter().enumerate() {
                assert!(code.starts_with("CP-") && code.len() == 9, "{code}");
                assert!(i < 10);
            }
        }
    }
}
