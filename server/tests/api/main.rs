//! API and page tests against a real CERES (same router as `main`) on a fresh database per test, each run on SQLite
//! and on PostgreSQL. One test binary: `mod` lines only.

mod helpers;

mod activation;
mod audit_chain;
mod auth;
mod concurrency;
mod conventions;
mod crash;
mod demo;
mod dte;
mod edits;
mod hostile;
mod lifecycle;
mod matrix;
mod pages;
mod registration;
mod registry;
mod regles;
mod search;
mod sessions;
mod startup;
mod transfer;
