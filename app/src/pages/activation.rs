//! « /activation »: a centre's staff activate its account with the code of the letter. A plain form posted to the
//! server's `/activation` handler; errors come back as `?erreur=…` with what was typed (never the code or password).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The French sentence for each `?erreur=` code of the activation handler.
pub fn message(code: &str) -> Option<&'static str> {
    Some(match code {
        "champs" => "Remplissez tous les champs : SIRET, code d'activation, identifiant et mot de passe.",
        "siret" => "Le SIRET saisi n'est pas valide : vérifiez les 14 chiffres indiqués sur le courrier.",
        "code" => {
            "Ce SIRET et ce code d'activation ne correspondent pas, ou le code a expiré ou a déjà servi. Vérifiez le courrier ; si besoin, demandez un nouveau code à votre DREETS."
        }
        "identifiant" => {
            "L'identifiant doit compter de 3 à 64 caractères : lettres minuscules sans accent, chiffres, point, tiret ou tiret bas."
        }
        "identifiant-pris" => "Cet identifiant est déjà utilisé : choisissez-en un autre.",
        "mot-de-passe" => "Le mot de passe doit compter au moins 12 caractères.",
        "confirmation" => "Les deux mots de passe saisis sont différents : saisissez-les à nouveau.",
        "trop-de-tentatives" => "Trop de tentatives ont échoué. Par sécurité, patientez 15 minutes avant de réessayer.",
        "indisponible" => "L'activation est momentanément impossible. Réessayez dans quelques instants.",
        _ => return None,
    })
}

#[component]
pub fn Activation() -> impl IntoView {
    let query = use_query_map();
    let erreur = move || query.read().get("erreur").and_then(|c| message(&c));
    let siret = move || query.read().get("siret").unwrap_or_default();
    let identifiant = move || query.read().get("identifiant").unwrap_or_default();

    #[cfg(feature = "ssr")]
    if query.read_untracked().get("erreur").as_deref() == Some("trop-de-tentatives")
        && let Some(res) = use_context::<leptos_axum::ResponseOptions>()
    {
        res.set_status(axum::http::StatusCode::TOO_MANY_REQUESTS);
    }

    view! {
        <Title text="Activer le compte d'un centre"/>
        <div class="fr-grid-row fr-grid-row--center">
            <div class="fr-col-12 fr-col-md-8 fr-col-lg-6">
                <h1>"Activer le compte de votre centre"</h1>
                <p>"Saisissez le SIRET de votre centre et le code d'activation du courrier reçu de la DREETS, puis choisissez votre identifiant et votre mot de passe."</p>
                {move || erreur().map(|m| view! {
                    <div class="fr-alert fr-alert--error fr-mb-3w" role="alert" id="erreur-activation"><p>{m}</p></div>
                })}
                <form method="post" action="/activation" id="form-activation">
                    <fieldset class="fr-fieldset">
                        <legend class="fr-fieldset__legend">"Le courrier d'activation"</legend>
                        <div class="fr-fieldset__element">
                            <div class="fr-input-group">
                                <label class="fr-label" for="siret">"SIRET du centre"</label>
                                <input class="fr-input" id="siret" name="siret" inputmode="numeric" required maxlength="20" value=siret/>
                            </div>
                        </div>
                        <div class="fr-fieldset__element">
                            <div class="fr-input-group">
                                <label class="fr-label" for="code">"Code d'activation"
                                    <span class="fr-hint-text">"12 caractères, par exemple K7QF-9XPM-2HDA"</span>
                                </label>
                                <input class="fr-input" id="code" name="code" autocomplete="off" autocapitalize="characters" required maxlength="20"/>
                            </div>
                        </div>
                    </fieldset>
                    <fieldset class="fr-fieldset">
                        <legend class="fr-fieldset__legend">"Votre compte"</legend>
                        <div class="fr-fieldset__element">
                            <div class="fr-input-group">
                                <label class="fr-label" for="identifiant-activation">"Identifiant"
                                    <span class="fr-hint-text">"Lettres minuscules, chiffres, point, tiret ; par exemple prenom.nom"</span>
                                </label>
                                <input class="fr-input" id="identifiant-activation" name="identifiant" autocomplete="username" required maxlength="64" value=identifiant/>
                            </div>
                        </div>
                        <div class="fr-fieldset__element">
                            <div class="fr-input-group">
                                <label class="fr-label" for="mot-de-passe-activation">"Mot de passe"
                                    <span class="fr-hint-text">"Au moins 12 caractères"</span>
                                </label>
                                <input class="fr-input" id="mot-de-passe-activation" name="mot_de_passe" type="password" autocomplete="new-password" required minlength="12" maxlength="256"/>
                            </div>
                        </div>
                        <div class="fr-fieldset__element">
                            <div class="fr-input-group">
                                <label class="fr-label" for="confirmation-activation">"Confirmez le mot de passe"</label>
                                <input class="fr-input" id="confirmation-activation" name="confirmation" type="password" autocomplete="new-password" required minlength="12" maxlength="256"/>
                            </div>
                        </div>
                        <div class="fr-fieldset__element">
                            <button class="fr-btn" type="submit">"Activer le compte"</button>
                        </div>
                    </fieldset>
                </form>
            </div>
        </div>
    }
}
