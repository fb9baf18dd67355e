//! « /connexion »: the sign-in form. It posts to the server's `/connexion` handler (a plain form, so it works
//! without JavaScript); errors come back as `?erreur=…` and are explained here.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The French sentence for each `?erreur=` code the sign-in handler sends back.
pub fn message(code: &str) -> Option<&'static str> {
    Some(match code {
        "identifiants" => {
            "Identifiant ou mot de passe incorrect. Vérifiez votre saisie (attention aux majuscules) et réessayez."
        }
        "champs" => "Saisissez votre identifiant et votre mot de passe.",
        "trop-de-tentatives" => {
            "Trop de tentatives de connexion ont échoué. Par sécurité, patientez 15 minutes avant de réessayer."
        }
        "session" => "Votre session a expiré : reconnectez-vous.",
        "origine" => {
            "La demande de connexion ne venait pas de CERES et a été refusée. Rechargez cette page et recommencez."
        }
        "indisponible" => "La connexion est momentanément impossible. Réessayez dans quelques instants.",
        _ => return None,
    })
}

#[component]
pub fn Connexion() -> impl IntoView {
    let query = use_query_map();
    let erreur = move || query.read().get("erreur").and_then(|c| message(&c));
    let suite = move || query.read().get("suite").unwrap_or_default();
    let deconnecte = move || query.read().get("deconnecte").is_some();

    #[cfg(feature = "ssr")]
    if query.read_untracked().get("erreur").as_deref() == Some("trop-de-tentatives")
        && let Some(res) = use_context::<leptos_axum::ResponseOptions>()
    {
        res.set_status(axum::http::StatusCode::TOO_MANY_REQUESTS);
    }

    view! {
        <Title text="Connexion"/>
        <div class="fr-grid-row fr-grid-row--center">
            <div class="fr-col-12 fr-col-md-8 fr-col-lg-6">
                <h1>"Connexion à CERES"</h1>
                {move || deconnecte().then(|| view! {
                    <div class="fr-alert fr-alert--success fr-mb-3w"><p>"Vous êtes déconnecté."</p></div>
                })}
                {move || erreur().map(|m| view! {
                    <div class="fr-alert fr-alert--error fr-mb-3w" role="alert" id="erreur-connexion"><p>{m}</p></div>
                })}
                <p class="fr-text--sm">
                    "Votre centre a reçu un courrier d'activation ? "
                    <a class="fr-link fr-text--sm" href="/activation" id="lien-activation">"Activez son compte"</a>
                </p>
                <form method="post" action="/connexion" id="form-connexion">
                    <input type="hidden" name="suite" value=suite/>
                    <fieldset class="fr-fieldset">
                        <legend class="fr-fieldset__legend">"Se connecter avec son identifiant CERES"</legend>
                        <div class="fr-fieldset__element">
                            <div class="fr-input-group">
                                <label class="fr-label" for="identifiant">"Identifiant"</label>
                                <input class="fr-input" id="identifiant" name="identifiant" type="text"
                                    autocomplete="username" autocapitalize="off" spellcheck="false" required maxlength="64"/>
                            </div>
                        </div>
                        <div class="fr-fieldset__element">
                            <div class="fr-input-group">
                                <label class="fr-label" for="mot_de_passe">"Mot de passe"</label>
                                <input class="fr-input" id="mot_de_passe" name="mot_de_passe" type="password"
                                    autocomplete="current-password" required maxlength="256"/>
                            </div>
                        </div>
                        <div class="fr-fieldset__element">
                            <button class="fr-btn" type="submit">"Se connecter"</button>
                        </div>
                    </fieldset>
                </form>
            </div>
        </div>
    }
}
