//! The « Transférer le site » dialog of the 2019 support note: « Vers quel centre souhaitez-vous transférer le
//! site ? » → SIRET → the centre's identity fills in (or « Le siret saisi ne correspond pas à un centre enregistré
//! dans CERES ») → « CONTINUER » → « Êtes-vous sûr de vouloir transférer le site vers le Centre … ? » → « OUI ».

use leptos::prelude::*;

use crate::api::{PreviewSiteTransfer, TransferSite};
use crate::components::blocks::{Field, Modal};
use crate::dto::{TransferDone, TransferLookup, TransferPreview};

#[derive(Debug, Clone, PartialEq)]
enum Step {
    Closed,
    Siret,
    Confirm(TransferPreview),
    Done(TransferDone),
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

#[component]
pub fn TransferSiteButton(site_id: i32, site_nom: String, #[prop(into)] on_done: Callback<()>) -> impl IntoView {
    let step = RwSignal::new(Step::Closed);
    let siret = RwSignal::new(String::new());
    // Stored so that every closure below is `Copy` and can be rebuilt each time the dialog renders.
    let site_nom = StoredValue::new(site_nom);
    let preview = ServerAction::<PreviewSiteTransfer>::new();
    let transfer = ServerAction::<TransferSite>::new();

    let lookup = move || {
        preview.dispatch(PreviewSiteTransfer { site_id, siret: siret.get_untracked() });
    };
    // The answer shown is the one for the SIRET in the box, never an older answer that arrived late.
    let current_preview = move || {
        preview.value().get().filter(|r| match r {
            Ok(TransferLookup::Found(p)) => digits(&p.siret) == digits(&siret.get()),
            _ => true,
        })
    };
    let found = move || match current_preview() {
        Some(Ok(TransferLookup::Found(p))) => Some(p),
        _ => None,
    };
    Effect::new(move |_| {
        if let Some(Ok(done)) = transfer.value().get() {
            step.set(Step::Done(done));
        }
    });
    let open = move |_| {
        siret.set(String::new());
        preview.value().set(None);
        transfer.value().set(None);
        step.set(Step::Siret);
    };
    // Closing after a transfer refreshes the page behind (which re-renders this dialog, closed).
    let close = move |_: ()| {
        let transferred = matches!(step.get_untracked(), Step::Done(_));
        step.set(Step::Closed);
        if transferred {
            on_done.run(());
        }
    };

    let siret_step = move || {
        view! {
            <div class="fr-input-group">
                <label class="fr-label" for="transfert-siret">"Siret *"</label>
                <input class="fr-input" id="transfert-siret" name="siret" inputmode="numeric" autocomplete="off"
                    maxlength="20" prop:value=move || siret.get()
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        siret.set(v.clone());
                        if digits(&v).len() == 14 {
                            lookup();
                        }
                    }
                    on:keydown=move |ev| if ev.key() == "Enter" { lookup(); }
                />
            </div>
            {move || match current_preview() {
                Some(Ok(TransferLookup::Found(p))) => view! {
                    <dl class="ceres-fields" id="transfert-cible">
                        <Field label="Raison sociale" value=Some(p.raison_sociale)/>
                        <Field label="Adresse" value=Some(p.adresse)/>
                        <Field label="Commune" value=Some(p.commune)/>
                    </dl>
                }.into_any(),
                Some(Ok(TransferLookup::Unknown(message))) => view! {
                    <p class="fr-message fr-message--error" id="transfert-erreur">{message}</p>
                    <p>
                        <a class="fr-link" id="transfert-enregistrer" href=format!("/etablissements?enregistrer={}", digits(&siret.get_untracked()))>
                            "Enregistrer ce centre"
                        </a>
                    </p>
                }.into_any(),
                Some(Ok(TransferLookup::Refused(message))) => view! {
                    <p class="fr-message fr-message--error" id="transfert-erreur">{message}</p>
                }.into_any(),
                Some(Err(e)) => view! {
                    <p class="fr-message fr-message--error" id="transfert-erreur">{e.to_string()}</p>
                }.into_any(),
                None => view! { <p class="fr-hint-text">"Saisissez les 14 chiffres du SIRET du centre de rattachement."</p> }.into_any(),
            }}
        }
    };

    let confirm_step = move |p: TransferPreview| {
        let question = format!("Êtes-vous sûr de vouloir transférer le site vers le Centre {} ?", p.raison_sociale);
        let what = format!(
            "« {} » sera rattaché à ce centre avec {} et {}.",
            site_nom.get_value(),
            crate::domain::format::count_fr(p.agrements, "agrément", "agréments"),
            crate::domain::format::count_fr(p.sessions, "session", "sessions")
        );
        let request = TransferSite { site_id, siret: p.siret.clone(), expected_centre_id: p.from_centre_id };
        view! {
            <p class="fr-text--lead" id="transfert-question">{question}</p>
            <p>{what}</p>
            {move || transfer.value().get().and_then(|r| r.err()).map(|e| view! {
                <div class="fr-alert fr-alert--error fr-alert--sm" role="alert" id="transfert-erreur"><p>{e.to_string()}</p></div>
            })}
            <ul class="fr-btns-group fr-btns-group--inline fr-btns-group--right">
                <li><button class="fr-btn fr-btn--secondary" id="transfert-non" on:click=move |_| step.set(Step::Siret)>"Non"</button></li>
                <li>
                    <button class="fr-btn" id="transfert-oui" disabled=move || transfer.pending().get()
                        on:click=move |_| { transfer.dispatch(request.clone()); }>"Oui"</button>
                </li>
            </ul>
        }
    };

    let done_step = move |d: TransferDone| {
        view! {
            <div class="fr-alert fr-alert--success" role="status" id="transfert-fait">
                <p>{format!("Le site a été transféré vers le centre {} avec ses agréments et ses sessions.", d.raison_sociale)}</p>
            </div>
            {(!d.has_account).then(|| view! {
                <p class="fr-mt-2w">"Ce centre n'a pas encore de compte utilisateur : envoyez-lui son code d'activation."</p>
                <crate::pages::centre::ActivationLetterButton centre_id=d.centre_id/>
            })}
            <p class="fr-mt-2w"><a class="fr-link" href=format!("/centres/{}", d.centre_id)>"Accéder au détail du centre"</a></p>
        }
    };

    view! {
        <button class="fr-btn fr-btn--sm fr-icon-arrow-right-line fr-btn--icon-left" id="transferer-site" on:click=open>
            "Transférer le site"
        </button>
        <Show when=move || step.get() != Step::Closed>
            <Modal id="modal-transfert" labelledby="titre-transfert" on_close=move || close(())>
                <div class="fr-modal__content">
                    <h1 id="titre-transfert" class="fr-modal__title">"Vers quel centre souhaitez-vous transférer le site ?"</h1>
                    {move || match step.get() {
                        Step::Siret | Step::Closed => siret_step().into_any(),
                        Step::Confirm(p) => confirm_step(p).into_any(),
                        Step::Done(d) => done_step(d).into_any(),
                    }}
                </div>
                <Show when=move || step.get() == Step::Siret>
                    <div class="fr-modal__footer">
                        <ul class="fr-btns-group fr-btns-group--right fr-btns-group--inline-reverse fr-btns-group--inline-lg">
                            <li>
                                <button class="fr-btn" id="transfert-continuer"
                                    disabled=move || found().is_none()
                                    on:click=move |_| if let Some(p) = found() { step.set(Step::Confirm(p)); }>
                                    "Continuer"
                                </button>
                            </li>
                            <li><button class="fr-btn fr-btn--secondary" on:click=move |_| close(())>"Abandonner"</button></li>
                        </ul>
                    </div>
                </Show>
            </Modal>
        </Show>
    }
    .into_any()
}
