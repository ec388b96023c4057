//! Test support: an OpenPGP test key, and a CISA-like CSAF provider built
//! from the corpora and served by the loopback [`server::Server`].

#![allow(dead_code)]

pub mod server;

use pgp::composed::{
    ArmorOptions, DetachedSignature, KeyType, SecretKeyParamsBuilder, SignedSecretKey,
};
use pgp::crypto::hash::HashAlgorithm;
use pgp::types::{KeyDetails, Password};
use rand_chacha_03::ChaCha8Rng;
use rand_chacha_03::rand_core::SeedableRng;
use serde_json::Value;
use server::Server;
use sha2::{Digest, Sha512};
use std::path::PathBuf;
use std::sync::OnceLock;

/// A generated Ed25519 signing key.
pub struct TestKey {
    secret: SignedSecretKey,
    pub armored_public: String,
    pub fingerprint: String,
}

impl TestKey {
    fn generate(seed: u64, uid: &str) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut params = SecretKeyParamsBuilder::default();
        params
            .key_type(KeyType::Ed25519)
            .can_certify(true)
            .can_sign(true)
            .primary_user_id(uid.to_owned());
        let secret = params
            .build()
            .expect("key params")
            .generate(&mut rng)
            .expect("generate key");
        let public = secret.to_public_key();
        let armored_public = public
            .to_armored_string(ArmorOptions::default())
            .expect("armor key");
        let fingerprint: String = public
            .fingerprint()
            .as_ref()
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect();
        Self {
            secret,
            armored_public,
            fingerprint,
        }
    }

    /// An armored detached signature over `data`.
    pub fn sign(&self, data: &[u8]) -> Vec<u8> {
        let rng = ChaCha8Rng::seed_from_u64(7);
        DetachedSignature::sign_binary_data(
            rng,
            &self.secret.primary_key,
            &Password::empty(),
            HashAlgorithm::Sha256,
            data,
        )
        .expect("sign")
        .to_armored_string(ArmorOptions::default())
        .expect("armor signature")
        .into_bytes()
    }
}

/// The key the test provider signs with.
pub fn test_key() -> &'static TestKey {
    static KEY: OnceLock<TestKey> = OnceLock::new();
    KEY.get_or_init(|| TestKey::generate(1, "medvigil test provider <feeds@test.invalid>"))
}

/// A key nobody configured.
pub fn other_key() -> &'static TestKey {
    static KEY: OnceLock<TestKey> = OnceLock::new();
    KEY.get_or_init(|| TestKey::generate(2, "someone else <other@test.invalid>"))
}

/// `<hex>  <file name>\n`, as `sha512sum` writes it.
pub fn sha512_file(bytes: &[u8], name: &str) -> Vec<u8> {
    let hex: String = Sha512::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{hex}  {name}\n").into_bytes()
}

/// How the provider distributes (spec 7.1.7 `distributions`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A ROLIE feed.
    Rolie,
    /// `directory_url` with `changes.csv` and `index.txt`.
    Directory,
}

/// One served document.
#[derive(Debug, Clone)]
pub struct Doc {
    /// `csaf_files/OT/white/<year>/<name>.json`
    pub path: String,
    pub bytes: Vec<u8>,
    pub sha512: Vec<u8>,
    pub asc: Vec<u8>,
}

impl Doc {
    pub fn name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or_default()
    }
}

/// CISA's real origin in the corpora's ROLIE feed, rewritten to the server.
const CISA_ORIGIN: &str = "https://raw.githubusercontent.com/cisagov/CSAF/develop";
const FEED_PATH: &str = "csaf_files/OT/white/cisa-csaf-ot-feed-tlp-white.json";

/// A CISA-like provider: the corpora's ICSMA documents with CISA's
/// `changes.csv`, `index.txt` and ROLIE feed filtered to them, signed with
/// the test key.
pub struct Provider {
    pub server: Server,
    pub mode: Mode,
    pub docs: Vec<Doc>,
    /// Real ROLIE entries (hrefs rewritten), in feed order.
    rolie: Vec<Value>,
    /// `changes.csv` lines (path, time), newest first.
    changes: Vec<(String, String)>,
    index: Vec<String>,
}

pub fn corpus_docs() -> Option<Vec<(PathBuf, String)>> {
    let root = medvigil_testkit::corpus("csaf/cisa-icsma")?;
    let mut out = Vec::new();
    for year in std::fs::read_dir(&root).expect("read corpus") {
        let year = year.expect("entry").path();
        for f in std::fs::read_dir(&year).expect("read year") {
            let f = f.expect("entry").path();
            if f.extension().is_some_and(|e| e == "json") {
                let y = year
                    .file_name()
                    .expect("year")
                    .to_string_lossy()
                    .into_owned();
                let name = f.file_name().expect("name").to_string_lossy().into_owned();
                out.push((f, format!("csaf_files/OT/white/{y}/{name}")));
            }
        }
    }
    out.sort();
    Some(out)
}

impl Provider {
    /// Builds and publishes the provider with the documents whose served
    /// path `keep` accepts; `None` when the corpora are absent.
    pub fn cisa(mode: Mode, keep: impl Fn(&str) -> bool) -> Option<Self> {
        let dist = medvigil_testkit::corpus("csaf/cisa-distribution/OT")?;
        let server = Server::start();
        let base = server.base();
        let key = test_key();
        let docs: Vec<Doc> = corpus_docs()?
            .into_iter()
            .filter(|(_, p)| keep(p))
            .map(|(file, path)| {
                let bytes = std::fs::read(&file).expect("read doc");
                let mut sha = file.clone().into_os_string();
                sha.push(".sha512");
                let sha512 = std::fs::read(PathBuf::from(sha)).expect("read sha512");
                let asc = key.sign(&bytes);
                Doc {
                    path,
                    bytes,
                    sha512,
                    asc,
                }
            })
            .collect();
        let have = |p: &str| docs.iter().any(|d| d.path == p);
        let read = |n: &str| std::fs::read_to_string(dist.join(n)).expect("read distribution");
        let changes = read("changes.csv")
            .lines()
            .filter_map(|l| l.split_once(','))
            .filter(|(p, _)| have(p))
            .map(|(p, t)| (p.to_owned(), t.to_owned()))
            .collect();
        let index = read("index.txt")
            .lines()
            .filter(|p| have(p))
            .map(str::to_owned)
            .collect();
        let feed: Value =
            serde_json::from_str(&read("cisa-csaf-ot-feed-tlp-white.json")).expect("feed");
        let rolie = feed["feed"]["entry"]
            .as_array()
            .expect("entries")
            .iter()
            .map(|e| e.to_string().replace(CISA_ORIGIN, &base))
            .map(|s| serde_json::from_str::<Value>(&s).expect("entry"))
            .filter(|e| {
                e["link"].as_array().is_some_and(|links| {
                    links.iter().any(|l| {
                        l["rel"] == "self"
                            && l["href"]
                                .as_str()
                                .and_then(|h| h.strip_prefix(&format!("{base}/")))
                                .is_some_and(&have)
                    })
                })
            })
            .collect();
        let p = Self {
            server,
            mode,
            docs,
            rolie,
            changes,
            index,
        };
        p.publish();
        Some(p)
    }

    pub fn metadata_url(&self) -> String {
        format!(
            "{}/.well-known/csaf/provider-metadata.json",
            self.server.base()
        )
    }

    pub fn doc(&self, name: &str) -> &Doc {
        self.docs.iter().find(|d| d.name() == name).expect("doc")
    }

    /// (Re)writes every served file from the model.
    pub fn publish(&self) {
        let base = self.server.base();
        let distribution = match self.mode {
            Mode::Rolie => serde_json::json!({"rolie": {"feeds": [
                {"summary": "OT advisories", "tlp_label": "WHITE", "url": format!("{base}/{FEED_PATH}")}
            ]}}),
            Mode::Directory => serde_json::json!({"directory_url": format!("{base}/")}),
        };
        let metadata = serde_json::json!({
            "canonical_url": self.metadata_url(),
            "distributions": [distribution],
            "last_updated": "2025-02-27T18:49:54Z",
            "list_on_CSAF_aggregators": true,
            "metadata_version": "2.0",
            "mirror_on_CSAF_aggregators": true,
            "public_openpgp_keys": [{"fingerprint": test_key().fingerprint, "url": format!("{base}/key.asc")}],
            "publisher": {"category": "coordinator", "name": "Test CISA", "namespace": "https://www.cisa.gov/"},
            "role": "csaf_trusted_provider"
        });
        let feed = serde_json::json!({"feed": {
            "id": "cisa-csaf-ot-feed-tlp-white",
            "title": "CISA CSAF OT feed (TLP:WHITE)",
            "link": [{"rel": "self", "href": format!("{base}/{FEED_PATH}")}],
            "category": [{"scheme": "urn:ietf:params:rolie:category:information-type", "term": "csaf"}],
            "updated": "2025-02-27T18:49:54.742940Z",
            "entry": self.rolie,
        }});
        let changes: String = self
            .changes
            .iter()
            .map(|(p, t)| format!("{p},{t}\n"))
            .collect();
        let index: String = self.index.iter().map(|p| format!("{p}\n")).collect();
        let mut site = self.server.site();
        let files = &mut site.files;
        files.clear();
        let json = |v: &Value| serde_json::to_vec_pretty(v).expect("json");
        files.insert(
            "/.well-known/csaf/provider-metadata.json".into(),
            json(&metadata),
        );
        files.insert(
            "/key.asc".into(),
            test_key().armored_public.clone().into_bytes(),
        );
        match self.mode {
            Mode::Rolie => {
                files.insert(format!("/{FEED_PATH}"), json(&feed));
            }
            Mode::Directory => {
                files.insert("/changes.csv".into(), changes.into_bytes());
                files.insert("/index.txt".into(), index.into_bytes());
            }
        }
        for d in &self.docs {
            files.insert(format!("/{}", d.path), d.bytes.clone());
            files.insert(format!("/{}.sha512", d.path), d.sha512.clone());
            files.insert(format!("/{}.asc", d.path), d.asc.clone());
        }
    }

    /// Replaces a document's served files and marks it changed at `time`
    /// in `changes.csv` and the ROLIE feed; `edit` decides what is served.
    pub fn change(&mut self, name: &str, time: &str, edit: impl FnOnce(&mut Doc)) {
        let i = self
            .docs
            .iter()
            .position(|d| d.name() == name)
            .expect("doc");
        edit(&mut self.docs[i]);
        let path = self.docs[i].path.clone();
        if let Some(pos) = self.changes.iter().position(|(p, _)| *p == path) {
            self.changes.remove(pos);
        }
        self.changes.insert(0, (path.clone(), time.to_owned()));
        for e in &mut self.rolie {
            if e.to_string().contains(&format!("/{path}\"")) {
                e["updated"] = Value::String(time.to_owned());
            }
        }
        self.publish();
    }

    /// New content for a document: its title with `suffix` appended, with
    /// a matching hash file and a signature by the test key.
    pub fn revise(doc: &mut Doc, suffix: &str) {
        let mut v: Value = serde_json::from_slice(&doc.bytes).expect("doc json");
        let title = v["document"]["title"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        v["document"]["title"] = Value::String(format!("{title}{suffix}"));
        doc.bytes = serde_json::to_vec_pretty(&v).expect("json");
        doc.sha512 = sha512_file(&doc.bytes, doc.path.rsplit('/').next().unwrap_or_default());
        doc.asc = test_key().sign(&doc.bytes);
    }
}
