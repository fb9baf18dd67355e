//! The State's frame around every page (DSFR): header with the Marianne block « Ministère du Travail », the
//! service name, navigation by role, the user's menu; footer with « Mentions légales » and the version.

use leptos::prelude::*;
use leptos::suspense::Unsuspend;
use leptos_router::hooks::use_location;

use crate::UserResource;
use crate::auth::{AuthUser, navigation};

#[component]
fn Marianne() -> impl IntoView {
    view! { <p class="fr-logo">"Ministère" <br/> "du Travail"</p> }
}

/// « Se déconnecter »: a real form POST, so it works before hydration too.
#[component]
fn LogoutButton() -> impl IntoView {
    view! {
        <form method="post" action="/deconnexion" class="ceres-inline-form">
            <button type="submit" class="fr-btn fr-icon-logout-box-r-line">"Se déconnecter"</button>
        </form>
    }
}

#[component]
fn UserTools(user: AuthUser) -> impl IntoView {
    view! {
        <ul class="fr-btns-group">
            <li>
                <span class="fr-btn fr-icon-account-circle-line ceres-user" id="utilisateur">
                    <span>
                        {user.nom_affiche.clone()}
                        <span class="ceres-user__scope">{user.perimetre.clone()}</span>
                    </span>
                </span>
            </li>
            <li><LogoutButton/></li>
        </ul>
    }
}

#[component]
fn Nav(user: AuthUser) -> impl IntoView {
    let location = use_location();
    let items = navigation(&user.role);
    view! {
        <nav class="fr-nav" id="navigation" role="navigation" aria-label="Menu principal">
            <ul class="fr-nav__list">
                {items
                    .into_iter()
                    .map(|item| {
                        let href = item.href.clone();
                        let current = move || {
                            location.pathname.get().starts_with(&href).then_some("page")
                        };
                        view! {
                            <li class="fr-nav__item">
                                <a class="fr-nav__link" href=item.href.clone() aria-current=current>
                                    {item.label}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}

#[component]
pub fn Header() -> impl IntoView {
    let user = expect_context::<UserResource>();
    // The DSFR opens its mobile menu with its own script; CERES drives the same classes from Rust.
    let (menu_open, set_menu_open) = signal(false);
    let signed_in = move || user.get().and_then(|r| r.ok()).flatten();
    // The menus read the user here, where the Transitions see it; each is built with `Unsuspend` when shown: the
    // server walks these closures to find resource reads (twice before the page is rendered) and built the menus
    // each time, the user's three times over (scripts/profile.sh).

    view! {
        <header role="banner" class="fr-header">
            <div class="fr-header__body">
                <div class="fr-container">
                    <div class="fr-header__body-row">
                        <div class="fr-header__brand fr-enlarge-link">
                            <div class="fr-header__brand-top">
                                <div class="fr-header__logo"><Marianne/></div>
                                <div class="fr-header__navbar">
                                    // Nothing is behind the menu for an anonymous visitor: no button then.
                                    <Transition fallback=|| ()>
                                        {move || signed_in().map(|_| view! {
                                            <button
                                                class="fr-btn--menu fr-btn"
                                                aria-controls="modal-menu"
                                                aria-haspopup="menu"
                                                id="button-menu"
                                                title="Menu"
                                                aria-expanded=move || menu_open.get().to_string()
                                                on:click=move |_| set_menu_open.set(true)
                                            >
                                                "Menu"
                                            </button>
                                        })}
                                    </Transition>
                                </div>
                            </div>
                            <div class="fr-header__service">
                                <a href="/" title="Accueil – CERES">
                                    <p class="fr-header__service-title">"CERES"</p>
                                </a>
                                <p class="fr-header__service-tagline">"Certifications professionnelles du ministère du Travail"</p>
                            </div>
                        </div>
                        <div class="fr-header__tools">
                            <div class="fr-header__tools-links">
                                <Transition fallback=|| ()>
                                    {move || signed_in().map(|u| Unsuspend::new(move || view! { <UserTools user=u/> }))}
                                </Transition>
                            </div>
                        </div>
                    </div>
                </div>
            </div>
            <div
                class="fr-header__menu fr-modal"
                class:fr-modal--opened=move || menu_open.get()
                id="modal-menu"
                aria-labelledby="button-menu"
            >
                <div class="fr-container">
                    <button
                        class="fr-btn--close fr-btn"
                        aria-controls="modal-menu"
                        title="Fermer"
                        on:click=move |_| set_menu_open.set(false)
                    >
                        "Fermer"
                    </button>
                    <div class="fr-header__menu-links ceres-menu-links">
                        <Transition fallback=|| ()>
                            {move || signed_in().map(|u| Unsuspend::new(move || view! { <UserTools user=u/> }))}
                        </Transition>
                    </div>
                    <Transition fallback=|| ()>
                        {move || signed_in().map(|u| Unsuspend::new(move || view! { <Nav user=u/> }))}
                    </Transition>
                </div>
            </div>
        </header>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="fr-footer" role="contentinfo" id="footer">
            <div class="fr-container">
                <div class="fr-footer__body">
                    <div class="fr-footer__brand fr-enlarge-link">
                        <a href="/" title="Retour à l'accueil – CERES"><Marianne/></a>
                    </div>
                    <div class="fr-footer__content">
                        <p class="fr-footer__content-desc">
                            "CERES (CERtifications EmploiS) gère les titres professionnels du ministère chargé de l'emploi : centres agréés, sites, agréments et sessions d'examen."
                        </p>
                    </div>
                </div>
                <div class="fr-footer__bottom">
                    <ul class="fr-footer__bottom-list">
                        <li class="fr-footer__bottom-item">
                            <a class="fr-footer__bottom-link" href="/mentions-legales">"Mentions légales"</a>
                        </li>
                    </ul>
                    <div class="fr-footer__bottom-copy">
                        <p>{format!("CERES version {}", crate::VERSION)}</p>
                    </div>
                </div>
            </div>
        </footer>
    }
}
