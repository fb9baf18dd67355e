//! The errors a user can meet, each a French sentence saying what to do. Internal causes are logged on the
//! server and never sent to the browser.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AppError {
    #[error("Vous n'êtes pas connecté ou votre session a expiré : reconnectez-vous.")]
    NonConnecte,
    #[error("Vous n'avez pas les droits nécessaires pour cette action.")]
    Interdit,
    /// Something asked for does not exist; the message names it.
    #[error("{0}")]
    Introuvable(String),
    /// The request is wrong; the message says what to correct.
    #[error("{0}")]
    Invalide(String),
    /// Someone else changed the same thing first; the message says what happened and what to do.
    #[error("{0}")]
    Conflit(String),
    #[error("Le service est momentanément indisponible : réessayez dans quelques instants.")]
    Indisponible,
    #[error(
        "Une erreur inattendue s'est produite et a été enregistrée. Réessayez ; si elle persiste, contactez l'assistance."
    )]
    Interne,
    #[error("Le serveur n'a pas pu être joint : vérifiez votre connexion puis réessayez.")]
    Communication,
}

/// Arguments that do not deserialize: the caller's fault (422 on the server), never a server error.
fn malformed() -> AppError {
    let e = AppError::Invalide(
        "La demande envoyée est incomplète ou mal formée : rechargez la page et recommencez.".into(),
    );
    #[cfg(feature = "ssr")]
    return e.respond();
    #[cfg(not(feature = "ssr"))]
    e
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => AppError::Communication,
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => malformed(),
            _ => AppError::Interne,
        }
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// The HTTP status that goes with the error.
    pub fn status(&self) -> axum::http::StatusCode {
        use axum::http::StatusCode;
        match self {
            AppError::NonConnecte => StatusCode::UNAUTHORIZED,
            AppError::Interdit => StatusCode::FORBIDDEN,
            AppError::Introuvable(_) => StatusCode::NOT_FOUND,
            AppError::Invalide(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflit(_) => StatusCode::CONFLICT,
            AppError::Indisponible => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Interne | AppError::Communication => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Sets the response status of the current server function or page to this error's, and returns it.
    pub fn respond(self) -> Self {
        if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            res.set_status(self.status());
        }
        self
    }

    /// Logs an internal failure with its cause and returns the generic message for the user.
    pub fn internal(cause: impl std::fmt::Debug) -> Self {
        tracing::error!(?cause, "internal error");
        AppError::Interne.respond()
    }
}
