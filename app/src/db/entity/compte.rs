//! Accounts, sign-in sessions, sign-in attempts and audit events.

pub mod app_user {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "app_user")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub identifiant: String,
        pub password_hash: String,
        pub nom_affiche: String,
        pub role: String,
        pub region_code: Option<String>,
        pub departement_code: Option<String>,
        pub centre_id: Option<i32>,
        pub active: bool,
        pub created_at: DateTimeUtc,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod user_session {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "user_session")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub token_hash: String,
        pub user_id: i32,
        pub created_at: DateTimeUtc,
        pub last_seen_at: DateTimeUtc,
        pub expires_at: DateTimeUtc,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod login_attempt {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "login_attempt")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub identifiant: String,
        pub ip: String,
        pub success: bool,
        pub at: DateTimeUtc,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod audit_event {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "audit_event")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub at: DateTimeUtc,
        pub user_id: Option<i32>,
        pub role: String,
        pub scope: Option<String>,
        pub object_type: String,
        pub object_id: i32,
        pub action: String,
        pub field: Option<String>,
        pub before: Option<String>,
        pub after: Option<String>,
        pub hors_delai: bool,
        pub regle_code: Option<String>,
        pub derogation_id: Option<i32>,
        /// SHA-256 (hex) of the previous event's hash and this event's content: the audit chain.
        pub hash: Option<String>,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod audit_chain {
    use sea_orm::entity::prelude::*;

    /// The head of the audit chain: one row (id 1), locked by every writer of audit events.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "audit_chain")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: i32,
        pub last_event_id: i64,
        pub last_hash: String,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}
