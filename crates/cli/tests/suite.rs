//! The binary's tests as one test binary, each file a module: the server
//! and the shared helpers are compiled and linked once, not once a file.
//! A file left out of the list below would never run: the last test here
//! says so.

mod common;
mod figures;

mod access;
mod api;
mod api_customers;
mod api_offers;
mod api_segments;
mod backup;
mod browser;
mod browser_campaigns;
mod browser_customer;
mod browser_import;
mod browser_messages;
mod browser_messaging;
mod browser_offers;
mod browser_programs;
mod browser_reports;
mod browser_segments;
mod browser_settings;
mod campaigns;
mod channels;
mod cli;
mod console;
mod console_campaigns;
mod console_customer;
mod console_import;
mod console_messaging;
mod console_offers;
mod console_pages;
mod console_programs;
mod console_segments;
mod console_settings;
mod console_words;
mod crash;
mod crash_campaign;
mod day_figures;
mod failover;
mod logs;
mod messages;
mod messenger_and_push;
mod metrics;
mod pos;
mod pos_offers;
mod reports;
mod stop;
mod triggers;
mod upgrade;

#[test]
fn every_test_file_is_in_the_suite() {
    let suite = include_str!("suite.rs");
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let Some(name) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if path.extension().is_some_and(|e| e == "rs") && name != "suite" {
            assert!(
                suite.contains(&format!("\nmod {name};\n")),
                "tests/{name}.rs is not a module of tests/suite.rs, so it never runs"
            );
        }
    }
}
