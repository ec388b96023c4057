//! Arbitrary bytes through every distribution-file parser (provider
//! metadata, aggregator, ROLIE, changes.csv, index.txt, hash files), URL
//! resolution, the file-name rule and the signature reader: none may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use medvigil_feeds::formats::{
    Aggregator, HashAlgorithm, ProviderMetadata, RolieFeed, file_name_for_tracking_id,
    parse_changes_csv, parse_hash_file, parse_index_txt, url::Url,
};

fuzz_target!(|data: &[u8]| {
    let _ = ProviderMetadata::parse(data);
    let _ = Aggregator::parse(data);
    if let Ok(feed) = RolieFeed::parse(data) {
        let base = Url::parse("https://example.org/csaf/feed.json");
        for e in &feed.entries {
            if let Some(b) = &base {
                let _ = b.join(&e.document_url).map(|u| u.file_name().len());
            }
        }
    }
    let text = String::from_utf8_lossy(data);
    let _ = parse_changes_csv(&text);
    let _ = parse_index_txt(&text);
    let _ = parse_hash_file(&text, HashAlgorithm::Sha256);
    let _ = parse_hash_file(&text, HashAlgorithm::Sha512);
    let _ = file_name_for_tracking_id(&text);
    if let Some(u) = Url::parse(&text) {
        let _ = (u.host(), u.file_name(), u.is_loopback(), u.to_string());
    }
    if let Some(base) = Url::parse("https://example.org/a/b/") {
        let _ = base.join(&text).map(|u| u.to_string());
    }
    let _ = medvigil_feeds::signature_issuer(data);
});
