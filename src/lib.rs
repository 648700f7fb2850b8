//! reprint finds the same news story reprinted across a scraped corpus and reports the groups.
//!
//! The pipeline, one module a stage: [`corpus`] finds and decodes inputs, [`normalize`] cleans
//! text, [`boilerplate`] drops site chrome, [`shingle`] cuts shingles, of which [`frequent`]
//! drops those too common to tell stories apart, and [`minhash`] (or [`simhash`])
//! fingerprint, [`lsh`] proposes candidate pairs, [`cluster`] verifies and groups them,
//! [`report`] writes the result. [`pipeline`] runs them in order; [`index`] keeps fingerprints
//! and stable cluster ids across nightly runs; [`eval`] scores a report against ground truth.

pub mod anchor;
pub mod boilerplate;
pub mod cluster;
pub mod config;
pub mod corpus;
pub mod crosslang;
pub mod error;
pub mod eval;
pub mod explain;
pub mod frequent;
pub mod html_charts;
pub mod html_report;
pub mod index;
pub mod lang;
pub mod lsh;
pub mod minhash;
pub mod normalize;
pub mod pairs;
pub mod passes;
pub mod pipeline;
pub mod provenance;
pub mod published;
pub mod report;
pub mod shingle;
pub mod simhash;

pub use config::{Config, Method, ShingleSpec};
pub use error::{Error, Result};
pub use pipeline::{dedup, NoProgress, Progress, Stage};
pub use report::Report;
