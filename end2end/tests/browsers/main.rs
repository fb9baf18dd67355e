//! CERES in real browsers over WebDriver: Debian's Chromium (chromedriver) and Firefox ESR (geckodriver), headless,
//! against a real CERES started in-process on a fresh database. Every scenario runs in both browsers and fails on
//! any console error. Requires the site built by scripts/build.sh (the test command does it).
//!
//! `action` is what the user does, `check` what they see (the split of Leptos' own e2e suites).

mod action;
mod check;
mod support;

#[macro_use]
mod scenarios;
mod session_lifecycle;
