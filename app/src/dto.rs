//! What the server sends to the pages: plain serde structs, shared by browser and server.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::format::date_fr;
use crate::domain::session::StatutSession;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CentreHit {
    pub id: i32,
    pub raison_sociale: String,
    pub siret: String,
    pub commune: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteHit {
    pub id: i32,
    pub nom: String,
    pub centre_raison_sociale: String,
    pub commune: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SearchResults {
    pub recherche: crate::domain::recherche::Recherche,
    /// Matches of each type within the filters (the « Type de résultat » counts: they ignore the scope).
    pub centres_total: u64,
    pub sites_total: u64,
    /// The rows shown, already cut to the view (three of each, « VOIR PLUS », or one page).
    pub centres: Vec<CentreHit>,
    pub sites: Vec<SiteHit>,
    pub facets: Vec<Facet>,
}

impl SearchResults {
    /// Results within the chosen scope.
    pub fn total(&self) -> u64 {
        self.count(self.recherche.portee)
    }

    /// Results within `portee` (the « Type de résultat » counts).
    pub fn count(&self, portee: crate::domain::recherche::Portee) -> u64 {
        use crate::domain::recherche::Portee;
        match portee {
            Portee::Tout => self.centres_total + self.sites_total,
            Portee::Centres => self.centres_total,
            Portee::Sites => self.sites_total,
        }
    }
}

/// One facet and its values with counts that follow the query and the other facets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facet {
    pub key: crate::domain::recherche::FacetKey,
    /// The values shown: all of them when the facet is open (`Recherche::ouvertes`) or one beyond the first
    /// `FACETTE_VISIBLES` is selected; otherwise the first ones.
    pub values: Vec<FacetValue>,
    /// How many values with results were left out (« Afficher N de plus » opens the facet).
    #[serde(default)]
    pub autres: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetValue {
    /// What goes in the URL (région or département code, type or réseau id, titre code, agrément state).
    pub value: String,
    pub label: String,
    pub count: u64,
    pub selected: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Representant {
    pub nom: Option<String>,
    pub prenom: Option<String>,
    pub genre: Option<String>,
    pub telephone: Option<String>,
    pub email: Option<String>,
}

/// Status of an agrément, as recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StatutAgrement {
    Accorde,
    Suspendu,
    Retire,
    Termine,
}

impl StatutAgrement {
    pub fn code(self) -> &'static str {
        match self {
            StatutAgrement::Accorde => "accorde",
            StatutAgrement::Suspendu => "suspendu",
            StatutAgrement::Retire => "retire",
            StatutAgrement::Termine => "termine",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Some(match code {
            "accorde" => StatutAgrement::Accorde,
            "suspendu" => StatutAgrement::Suspendu,
            "retire" => StatutAgrement::Retire,
            "termine" => StatutAgrement::Termine,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgrementRow {
    pub id: i32,
    pub titre_code: String,
    pub titre_libelle: String,
    pub titre_fin_validite: NaiveDate,
    pub site_id: i32,
    pub site_nom: String,
    pub statut: StatutAgrement,
    pub accorde_le: NaiveDate,
    pub date_fin: Option<NaiveDate>,
}

impl AgrementRow {
    /// The status sentence of the support note: « Agrément accordé le 19/10/2018 ».
    pub fn statut_label(&self) -> String {
        let fin = self.date_fin.unwrap_or(self.accorde_le);
        match self.statut {
            StatutAgrement::Accorde => format!("Agrément accordé le {}", date_fr(self.accorde_le)),
            StatutAgrement::Suspendu => format!("Agrément suspendu depuis le {}", date_fr(fin)),
            StatutAgrement::Retire => format!("Agrément retiré le {}", date_fr(fin)),
            StatutAgrement::Termine => format!("Agrément terminé depuis le {}", date_fr(fin)),
        }
    }

    pub fn is_active(&self) -> bool {
        self.statut == StatutAgrement::Accorde
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteRow {
    pub id: i32,
    pub nom: String,
    pub commune: String,
}

/// The « Identification du centre » block, shown on the centre's page and on each of its sites' pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CentreIdentification {
    pub id: i32,
    pub siret: String,
    pub raison_sociale: String,
    pub adresse: String,
    pub commune: String,
    pub type_centre: Option<String>,
    pub reseau: Option<String>,
    pub commentaires: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CentreDetail {
    pub identification: CentreIdentification,
    /// Whether the reader may edit the activation letter (« Éditer le courrier d'activation »).
    pub can_issue_letter: bool,
    /// Whether the reader may « MODIFIER » the « Représentant du centre » block.
    pub can_edit_representant: bool,
    /// Whether the reader may « MODIFIER » the « Identification du centre » block.
    pub can_edit_identification: bool,
    pub representant: Representant,
    pub sites: Vec<SiteRow>,
    pub agrements: Vec<AgrementRow>,
    pub conventions: Conventions,
}

/// The « Organismes de formation conventionnés » block of a centre.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conventions {
    pub rows: Vec<ConventionRow>,
    /// Whether the reader may declare and update them (the centre's own users).
    pub can_manage: bool,
    /// The titres the centre may cover (those of its agréments in force), for those who may manage.
    pub titres: Vec<Choice>,
    /// The server's today: the form's year labels and checks.
    pub today: NaiveDate,
}

/// One convention with a training body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConventionRow {
    pub id: i32,
    pub siret: String,
    pub raison_sociale: String,
    pub adresse: String,
    /// « 33000 - BORDEAUX ».
    pub commune: String,
    /// The titres covered: (id, « code – libellé »).
    pub titres: Vec<Choice>,
    pub date_envoi_prefet: NaiveDate,
    pub date_effet: NaiveDate,
    pub annee: i32,
    pub prevision_n: i32,
    pub prevision_n1: i32,
    /// The avenant due next (the year it covers), when the forecasts do not reach it.
    pub avenant_attendu: Option<i32>,
}

impl ConventionRow {
    /// The form's content for « Modifier » in `year`.
    pub fn input(&self, year: i32) -> crate::domain::convention::ConventionInput {
        crate::domain::convention::ConventionInput::stored(
            &self.siret,
            self.titres.iter().map(|t| t.id).collect(),
            (self.date_envoi_prefet, self.date_effet),
            self.annee,
            (self.prevision_n, self.prevision_n1),
            year,
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteDetail {
    pub id: i32,
    pub nom: String,
    pub adresse: String,
    pub commune: String,
    pub departement: String,
    pub region: String,
    pub representant: Representant,
    pub agrements: Vec<AgrementRow>,
    pub centre: CentreIdentification,
    /// Whether the reader may transfer this site (the page shows « Transférer le site » only then).
    pub can_transfer: bool,
    /// Whether the reader may « MODIFIER » the « Représentant du site » block.
    pub can_edit_representant: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRow {
    pub id: i32,
    pub identifiant: String,
    pub titre_code: String,
    pub titre_libelle: String,
    pub site_id: i32,
    pub site_nom: String,
    pub commune: String,
    pub date_debut: NaiveDate,
    pub heure_debut: String,
    pub date_fin: NaiveDate,
    pub statut: StatutSession,
    /// An entry of this session was made after a deadline, under a relaxation window.
    pub hors_delai: bool,
    /// The next deadline: « Plus que 12 jours pour la demande de DTE », « Délai dépassé depuis le … ».
    pub echeance: Option<String>,
}

/// The filters of /sessions, as the URL and the server function carry them (empty = no filter).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct FiltreSessions {
    /// A `StatutSession` code.
    pub statut: String,
    /// Words of the titre's code or libellé.
    pub titre: String,
    /// Words of the site's name.
    pub site: String,
    /// Sessions starting on or after (`AAAA-MM-JJ`).
    pub du: String,
    /// Sessions starting on or before (`AAAA-MM-JJ`).
    pub au: String,
}

impl FiltreSessions {
    /// The query string of the filters set (`statut=validee&titre=plaquiste`), empty when none is.
    pub fn query(&self) -> String {
        [("statut", &self.statut), ("titre", &self.titre), ("site", &self.site), ("du", &self.du), ("au", &self.au)]
            .into_iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, v)| format!("{k}={}", crate::domain::recherche::encode_query_value(v.trim())))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// One page of a session list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SessionList {
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    pub rows: Vec<SessionRow>,
    /// The reader may « Enregistrer la session » (a centre user).
    pub can_create: bool,
}

/// Rows a page of a paginated list (sessions, DTE requests) holds.
pub const PER_PAGE: u64 = 50;

/// Beyond any real list: asking for a later page gets this one (empty), not an overflow.
pub const MAX_PAGE: u64 = 1_000_000;

/// How many pages a list of `total` rows takes at `per_page` a page (one when it is empty).
fn page_count(total: u64, per_page: u64) -> u64 {
    total.div_ceil(per_page.max(1)).max(1)
}

impl SessionList {
    pub fn pages(&self) -> u64 {
        page_count(self.total, self.per_page)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TitreRow {
    pub code: String,
    pub libelle: String,
    pub niveau: i16,
    pub fin_validite: NaiveDate,
    pub ccps: Vec<String>,
}

/// What the transfer dialog shows once a known SIRET is typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferPreview {
    pub centre_id: i32,
    pub siret: String,
    pub raison_sociale: String,
    pub adresse: String,
    pub commune: String,
    /// The centre the site is attached to now (the transfer only goes through if it still is).
    pub from_centre_id: i32,
    pub agrements: u64,
    pub sessions: u64,
}

/// The dialog's answer to a typed SIRET: the target, or why it cannot be one (an answer, not an error).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TransferLookup {
    Found(TransferPreview),
    /// No centre has this SIRET: the support note's message, with a way to register the centre.
    Unknown(String),
    /// Not a valid SIRET, or not a possible target; the message says why.
    Refused(String),
}

/// The result of a transfer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferDone {
    pub centre_id: i32,
    pub raison_sociale: String,
    /// Whether the target centre already has a user account (otherwise it needs its activation letter).
    pub has_account: bool,
}

/// An establishment as the company registry describes it, ready to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistryCompany {
    pub siret: String,
    pub raison_sociale: String,
    pub adresse: String,
    pub commune: String,
    pub closed: bool,
}

/// An entry of a reference list (« Type de centre », « Réseau »).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub id: i32,
    pub libelle: String,
}

/// A commune offered for a code postal (INSEE code, name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommuneChoice {
    pub code: String,
    pub nom: String,
}

/// What the « MODIFIER » form of « Identification du centre » opens with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentificationForm {
    pub input: crate::domain::identification::IdentificationInput,
    pub communes: Vec<CommuneChoice>,
    pub types: Vec<Choice>,
    pub reseaux: Vec<Choice>,
}

/// The answer to « Quel centre souhaitez-vous enregistrer ? ».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RegistrationLookup {
    Found { company: RegistryCompany, types: Vec<Choice>, reseaux: Vec<Choice> },
    AlreadyRegistered { centre_id: i32, raison_sociale: String },
    Refused(String),
    NotInRegistry(String),
    RegistryDown(String),
}

/// A deadline rule as /administration/regles lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegleRow {
    pub id: i32,
    pub regle: crate::domain::delais::Regle,
    /// « Modifiée le 30/11/2026 »
    pub modifiee_le: String,
}

/// A relaxation window as /administration/regles lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DerogationRow {
    pub derogation: crate::domain::delais::Derogation,
    /// « Nationale », « Région Occitanie », « Session TITRE_T_2019_299045 »
    pub portee: String,
    pub motif: String,
}

/// The page « Règles de délai »: the rules, the windows, and what the reader may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReglesPage {
    pub regles: Vec<RegleRow>,
    pub derogations: Vec<DerogationRow>,
    pub can_edit_rules: bool,
    /// The scopes the reader may open a window for: (code for the form, label).
    pub portees: Vec<(String, String)>,
}

/// The DTE request of a session, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DteRow {
    pub nombre_candidats: i32,
    pub date_reception_plis: NaiveDate,
    pub commentaires: Option<String>,
    pub hors_delai: bool,
    pub demandee_le: String,
}

/// One entry of « Traçabilité de la session ».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceRow {
    /// « 25/02/2019 »
    pub jour: String,
    /// « 10:12 »
    pub heure: String,
    pub qui: String,
    pub role: String,
    /// The audited action's code (`demande_dte`…) and how the page names it (« Demande de DTE »).
    pub action: String,
    pub action_libelle: String,
    pub champ: Option<String>,
    pub avant: Option<String>,
    pub apres: Option<String>,
    /// An entry made after a deadline: the rule it broke and the relaxation window that allowed it, « Demande de DTE
    /// au moins 3 mois avant le début de la session — dérogation « Assouplissement national 2019 » » (no-break
    /// spaces inside the inner guillemets).
    pub hors_delai: Option<String>,
}

/// The page /sessions/{id}.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionDetail {
    pub id: i32,
    pub identifiant: String,
    pub type_session: String,
    pub titre_code: String,
    pub titre_libelle: String,
    pub centre_id: i32,
    pub centre_raison_sociale: String,
    pub site_id: i32,
    pub site_nom: String,
    pub lieu: String,
    pub region: String,
    pub date_debut: NaiveDate,
    pub heure_debut: String,
    pub date_fin: NaiveDate,
    pub statut: StatutSession,
    pub commentaires: Option<String>,
    pub cree_le: String,
    pub modifie_le: String,
    /// Today as the server judges deadlines (so that the browser's verdict is the server's).
    pub aujourdhui: NaiveDate,
    pub compte_a_rebours: Option<String>,
    pub regles: Vec<crate::domain::delais::Regle>,
    pub derogations: Vec<crate::domain::delais::Derogation>,
    pub dte: Option<DteRow>,
    pub can_request_dte: bool,
    pub tracabilite: Vec<TraceRow>,
    pub departement: String,
    pub responsable: Option<crate::domain::candidats::Responsable>,
    pub candidats: Vec<CandidatRow>,
    pub jury: Vec<PersonneRow>,
    pub surveillants: Vec<PersonneRow>,
    /// Fewer than two jury members, habilitations ending before the session does.
    pub alertes_jury: Vec<String>,
    /// « Contrôles avant validation », for the UD while the results wait for it (empty otherwise).
    pub controles: Vec<crate::domain::controles::Controle>,
    /// The titre's CCPs (code, libellé), for partial successes.
    pub ccps_titre: Vec<(String, String)>,
    pub motif_annulation: Option<String>,
    /// The UD's message when it sent the results back.
    pub demande_correction: Option<String>,
    pub droits: SessionDroits,
}

/// What the reader may do on a session now (role, territory and state); the server checks each again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SessionDroits {
    /// Change the candidates, the responsable, the jury, the surveillants.
    pub modifier: bool,
    pub envoyer_convocations: bool,
    pub saisir_resultats: bool,
    /// The UD's « Valider » and « Demander une correction ».
    pub valider: bool,
    pub annuler: bool,
    /// Grant this session a derogation to the deadline rules (its UD).
    pub deroger: bool,
    /// The convocations PDF exists (they were sent).
    pub convocations_pdf: bool,
    /// The PV PDF exists (results were entered).
    pub pv_pdf: bool,
}

/// A registered candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidatRow {
    pub id: i32,
    pub nom: String,
    pub prenom: String,
    pub date_naissance: NaiveDate,
    pub email: Option<String>,
    pub voie_acces: String,
    pub resultat: Option<crate::domain::candidats::Resultat>,
    pub ccps_obtenus: Vec<String>,
}

/// A jury member (with the end of the habilitation) or a surveillant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonneRow {
    pub id: i32,
    pub nom: String,
    pub prenom: String,
    pub habilitation_fin: Option<NaiveDate>,
}

/// A site a centre may programme a session on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteChoice {
    pub id: i32,
    pub nom: String,
    pub commune: String,
    pub region: String,
}

/// What « Enregistrer la session » opens with: the reader's sites, their agréments, and what the deadline rules
/// need to judge the programming before the click.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NouvelleSessionForm {
    pub sites: Vec<SiteChoice>,
    pub agrements: Vec<crate::domain::programmation::AgrementOuvert>,
    pub regles: Vec<crate::domain::delais::Regle>,
    pub derogations: Vec<crate::domain::delais::Derogation>,
    pub aujourdhui: NaiveDate,
}

/// A page of the national list of DTE requests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DteList {
    /// How many requests the list holds (all its pages).
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    /// Every request; otherwise only those still to ship (envelopes wanted today or later).
    pub toutes: bool,
    pub rows: Vec<DteListRow>,
}

impl DteList {
    pub fn pages(&self) -> u64 {
        page_count(self.total, self.per_page)
    }
}

/// A DTE request in the national list (by wanted delivery date).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DteListRow {
    pub session_id: i32,
    pub identifiant: String,
    pub titre: String,
    pub centre: String,
    pub site: String,
    pub lieu: String,
    pub date_debut: NaiveDate,
    pub date_reception_plis: NaiveDate,
    pub nombre_candidats: i32,
    pub hors_delai: bool,
    pub demandee_le: NaiveDate,
}
