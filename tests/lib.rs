//! The native integration tests: one binary, one module per area.

#[path = "integration/authoring.rs"]
mod authoring;
#[path = "integration/batch.rs"]
mod batch;
#[path = "integration/batch_qa.rs"]
mod batch_qa;
#[path = "integration/cases.rs"]
mod cases;
#[path = "integration/catalogue_errors.rs"]
mod catalogue_errors;
#[path = "integration/check_zh.rs"]
mod check_zh;
#[path = "integration/cli.rs"]
mod cli;
#[path = "integration/error_paths.rs"]
mod error_paths;
#[path = "integration/library.rs"]
mod library;
#[path = "integration/list_options.rs"]
mod list_options;
#[path = "integration/matching.rs"]
mod matching;
#[path = "integration/national_wording.rs"]
mod national_wording;
#[path = "integration/places.rs"]
mod places;
#[path = "integration/profiles.rs"]
mod profiles;
#[path = "integration/props.rs"]
mod props;
#[path = "integration/readme.rs"]
mod readme;
#[path = "integration/robust.rs"]
mod robust;
#[path = "integration/util.rs"]
mod util;
