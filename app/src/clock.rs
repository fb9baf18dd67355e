//! Today's date, injected: the server provides a `Clock` to every request; a fixed date (`fixed-date` in
//! Leptos.toml, or CERES_FIXED_DATE) makes the deadline rules judge as on that day, for demonstrations and tests.

use chrono::NaiveDate;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Clock {
    pub fixed: Option<NaiveDate>,
}

impl Clock {
    pub fn today(&self) -> NaiveDate {
        self.fixed.unwrap_or_else(|| chrono::Local::now().date_naive())
    }
}

/// Today for the current request.
#[cfg(feature = "ssr")]
pub fn today() -> NaiveDate {
    leptos::prelude::use_context::<Clock>().unwrap_or_default().today()
}
