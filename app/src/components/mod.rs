//! Building blocks shared by the pages.

pub mod blocks;
pub mod conventions;
pub mod identification;
pub mod layout;
pub mod registration;
pub mod representant;
pub mod session_people;
pub mod transfer;
