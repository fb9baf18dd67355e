//! « /mentions-legales ».

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn MentionsLegales() -> impl IntoView {
    view! {
        <Title text="Mentions légales"/>
        <h1>"Mentions légales"</h1>
        <h2 class="fr-h4">"Éditeur"</h2>
        <p>"Ministère du Travail – Délégation générale à l'emploi et à la formation professionnelle (DGEFP), 14 avenue Duquesne, 75350 Paris 07 SP."</p>
        <h2 class="fr-h4">"Objet"</h2>
        <p>"CERES (CERtifications EmploiS) permet aux centres agréés, aux DREETS et aux unités départementales de gérer les titres professionnels : centres, sites, agréments et sessions d'examen."</p>
        <h2 class="fr-h4">"Données personnelles"</h2>
        <p>"Les données des candidats et des représentants sont traitées pour l'organisation des sessions d'examen et la délivrance des titres. Elles ne sont accessibles qu'aux agents et aux centres habilités, dans la limite de leur périmètre."</p>
        <h2 class="fr-h4">"Accessibilité"</h2>
        <p>"CERES utilise le système de design de l'État (DSFR). Il fonctionne avec Mozilla Firefox et Google Chrome."</p>
    }
}
