//! `medvigil-bench capture`: passive discovery over a large generated
//! capture of hospital traffic, beside `tshark` extracting the same facts.
//!
//! The capture is `medvigil_demo::write_bulk_capture`'s (generated from a
//! seed): DICOM sessions, HL7 v2 results over MLLP, DHCP requests; most
//! bytes are DICOM image data, as on a radiology network.

use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

use super::{Sample, medvigil_bin, s, sample, which};

/// Runs the benchmark and prints its report.
pub fn run(size_mb: u64, runs: usize, dir: &Path, oui: Option<PathBuf>) -> anyhow::Result<()> {
    let Some(tshark) = which("tshark") else {
        bail!("tshark not found: apt-get install -y tshark (the peer)");
    };
    std::fs::create_dir_all(dir)?;
    let file = dir.join(format!("hospital-{size_mb}mb.pcap"));
    let started = std::time::Instant::now();
    let out = std::fs::File::create(&file).with_context(|| format!("create {}", file.display()))?;
    let g = medvigil_demo::write_bulk_capture(
        BufWriter::with_capacity(1 << 20, out),
        size_mb * 1_000_000,
        2026,
    )?;
    eprintln!(
        "generated {} ({:.0} MB: {} DICOM associations, {} HL7 messages, {} DHCP requests) in {:.1} s",
        file.display(),
        g.bytes as f64 / 1e6,
        g.associations,
        g.hl7_messages,
        g.dhcp_requests,
        started.elapsed().as_secs_f64()
    );
    let medvigil = medvigil_bin()?;
    let mut ours = vec![s(&medvigil), "discover".into(), "--json".into(), s(&file)];
    if let Some(o) = oui {
        ours.extend(["--oui".into(), s(&o)]);
    }
    let theirs: Vec<String> = [
        s(&tshark).as_str(),
        "-r",
        &s(&file),
        "-n",
        "-d",
        "tcp.port==104,dicom",
        "-d",
        "tcp.port==2575,hl7",
        "-Y",
        "dicom.assoc.ae.calling || hl7.message.type || dhcp.option.hostname",
        "-T",
        "fields",
        "-e",
        "eth.src",
        "-e",
        "ip.src",
        "-e",
        "dicom.assoc.ae.calling",
        "-e",
        "dicom.assoc.ae.called",
        "-e",
        "dicom.userinfo.version",
        "-e",
        "hl7.message.type",
        "-e",
        "dhcp.option.hostname",
    ]
    .iter()
    .map(|x| (*x).to_owned())
    .collect();

    // What each found, once, outside the timing.
    let out = Command::new(&ours[0]).args(&ours[1..]).output()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let count = |needle: &str| {
        text.lines()
            .filter(|l| l.starts_with("{\"Fact\"") && l.contains(needle))
            .count()
    };
    let mine = (count("\"Dicom\""), count("\"Hl7\""), count("\"Dhcp\""));
    let out = Command::new(&theirs[0]).args(&theirs[1..]).output()?;
    let text = String::from_utf8_lossy(&out.stdout);
    // medvigil reports a fact once per sender; tshark every frame: compare
    // distinct (sender, AE titles, implementation version) tuples.
    let peer_dicom = text
        .lines()
        .filter(|l| l.split('\t').nth(2).is_some_and(|c| !c.is_empty()))
        .map(|l| l.split('\t').take(5).collect::<Vec<_>>().join("\t"))
        .collect::<std::collections::HashSet<_>>()
        .len();
    let peer_hl7 = text
        .lines()
        .filter(|l| l.split('\t').nth(5).is_some_and(|c| !c.is_empty()))
        .count();
    let peer_dhcp = text
        .lines()
        .filter(|l| l.split('\t').nth(6).is_some_and(|c| !c.is_empty()))
        .count();

    let a: Sample = sample(runs, || Ok(()), &ours)?;
    let b: Sample = sample(runs, || Ok(()), &theirs)?;
    let mb = g.bytes as f64 / 1e6;
    println!("passive discovery over a generated {mb:.0} MB capture, {runs} runs each, medians");
    println!(
        "  medvigil discover --json  {:>7.2} s  {:>7.0} MB/s  peak {:>5} MiB  found: {} distinct DICOM RQ/AC, {} HL7 messages, {} DHCP",
        a.secs,
        mb / a.secs,
        a.max_rss_kib / 1024,
        mine.0,
        mine.1,
        mine.2
    );
    println!(
        "  tshark -T fields          {:>7.2} s  {:>7.0} MB/s  peak {:>5} MiB  found: {peer_dicom} distinct DICOM RQ/AC, {peer_hl7} HL7 messages, {peer_dhcp} DHCP",
        b.secs,
        mb / b.secs,
        b.max_rss_kib / 1024
    );
    println!(
        "  ratio (tshark time / medvigil time): {:.1}x",
        b.secs / a.secs
    );
    println!(
        "  generated: {} associations (an RQ and an AC each), {} HL7 messages (and as many ACKs), {} DHCP requests",
        g.associations, g.hl7_messages, g.dhcp_requests
    );
    Ok(())
}
