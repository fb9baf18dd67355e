//! Exam sessions, candidates, DTE requests, deadline rules and relaxation windows.

pub mod session {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "session")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub identifiant: String,
        pub type_session: String,
        pub titre_id: i32,
        pub site_id: i32,
        pub date_debut: Date,
        pub heure_debut: Time,
        pub date_fin: Date,
        pub statut: String,
        pub commentaires: Option<String>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub responsable_nom: Option<String>,
        pub responsable_prenom: Option<String>,
        pub responsable_telephone: Option<String>,
        pub responsable_email: Option<String>,
        /// Why the session was cancelled (« Annulée »).
        pub motif_annulation: Option<String>,
        /// The UD's message when it sent the results back to the centre (« Demander une correction »).
        pub demande_correction: Option<String>,
        pub cree_par: Option<i32>,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod candidat {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "candidat")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub session_id: i32,
        pub nom: String,
        pub prenom: String,
        pub date_naissance: Date,
        pub email: Option<String>,
        pub voie_acces: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        /// reussite | reussite_partielle | echec | absent
        pub resultat: Option<String>,
        /// Comma-separated CCP codes obtained (partial success).
        pub ccps_obtenus: Option<String>,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod surveillant {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "surveillant")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub session_id: i32,
        pub nom: String,
        pub prenom: String,
        pub created_at: DateTimeUtc,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod jury_membre {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "jury_membre")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub session_id: i32,
        pub nom: String,
        pub prenom: String,
        pub habilitation_fin: Date,
        pub created_at: DateTimeUtc,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod demande_dte {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "demande_dte")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub session_id: i32,
        pub nombre_candidats: i32,
        pub date_reception_plis: Date,
        pub commentaires: Option<String>,
        pub hors_delai: bool,
        pub created_by: Option<i32>,
        pub created_at: DateTimeUtc,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod regle_delai {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "regle_delai")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub code: String,
        pub libelle: String,
        pub action: String,
        pub delai_mois: i32,
        pub delai_jours: i32,
        pub types_session: String,
        pub bloquante: bool,
        pub updated_at: DateTimeUtc,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod derogation {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "derogation")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub nom: String,
        pub portee: String,
        pub region_code: Option<String>,
        pub session_id: Option<i32>,
        pub debut: Date,
        pub fin: Date,
        pub regles: String,
        pub motif: String,
        pub created_by: Option<i32>,
        pub created_at: DateTimeUtc,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}
