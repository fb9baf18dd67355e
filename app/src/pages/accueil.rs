//! « / »: sends each user to the first page of their role.

use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::UserResource;
use crate::auth::home_path;

#[component]
pub fn Accueil() -> impl IntoView {
    let user = expect_context::<UserResource>();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let path = match user.await {
                    Ok(Some(u)) => home_path(&u.role),
                    _ => "/connexion".to_string(),
                };
                view! { <Redirect path=path/> }
            })}
        </Suspense>
    }
}
