//! ARP packets and IEEE registry CSV.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = medvigil_decode::arp::parse(data);
    let mut reg = medvigil_decode::oui::OuiRegistry::new();
    reg.add_csv(data);
    if let Some(mac) = medvigil_decode::MacAddr::from_slice(data) {
        let _ = reg.lookup(mac);
    }
});
