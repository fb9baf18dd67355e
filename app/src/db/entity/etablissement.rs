//! Centres, sites and agréments.

pub mod centre {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "centre")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub siret: String,
        pub raison_sociale: String,
        pub adresse: String,
        pub code_postal: String,
        pub commune_code: String,
        pub type_centre_id: Option<i32>,
        pub reseau_id: Option<i32>,
        pub commentaires: Option<String>,
        pub rep_nom: Option<String>,
        pub rep_prenom: Option<String>,
        pub rep_genre: Option<String>,
        pub rep_telephone: Option<String>,
        pub rep_email: Option<String>,
        pub activation_code_hash: Option<String>,
        pub activation_code_expires_at: Option<DateTimeUtc>,
        pub registered_by_region: Option<String>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod site {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "site")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub centre_id: i32,
        pub nom: String,
        pub adresse: String,
        pub code_postal: String,
        pub commune_code: String,
        pub rep_nom: Option<String>,
        pub rep_prenom: Option<String>,
        pub rep_genre: Option<String>,
        pub rep_telephone: Option<String>,
        pub rep_email: Option<String>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod agrement {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "agrement")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub site_id: i32,
        pub titre_id: i32,
        pub accorde_le: Date,
        pub date_fin: Option<Date>,
        pub statut: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod convention {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "convention")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub centre_id: i32,
        pub siret: String,
        pub raison_sociale: String,
        pub adresse: String,
        pub code_postal: String,
        /// INSEE code and name of the commune, as the registry gave them.
        pub commune_code: String,
        pub libelle_commune: String,
        pub date_envoi_prefet: Date,
        pub date_effet: Date,
        pub annee: i32,
        pub prevision_n: i32,
        pub prevision_n1: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod convention_titre {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "convention_titre")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub convention_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub titre_id: i32,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}
