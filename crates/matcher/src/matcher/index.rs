//! Adding and removing targets: each identity key of a target joins the
//! group of targets with the same key and version.

use std::sync::Arc;

use medvigil_ident::normalize_name;
use medvigil_version::{Scheme, Version};

use super::{Group, Matcher, Stored};
use crate::catalog::NONE;
use crate::keys;
use crate::range_text::clean_version;
use crate::target::Target;
use rustc_hash::FxHashMap as HashMap;

impl Matcher {
    /// Adds a target, replacing one with the same key.
    pub fn insert(&mut self, target: Target) {
        self.remove(&target.key);
        let idx = match self.free.pop() {
            Some(i) => i,
            None => {
                self.targets.push(None);
                u32::try_from(self.targets.len() - 1).unwrap_or(NONE)
            }
        };
        let key: Arc<str> = Arc::from(target.key.as_str());
        let mut stored_keys: Vec<Box<str>> = Vec::new();
        let mut add = |index: &mut HashMap<Box<str>, Vec<Group>>,
                       k: String,
                       version: Option<&str>,
                       scheme: Scheme| {
            if stored_keys.iter().any(|x| **x == *k) {
                return;
            }
            let groups = index.entry(k.clone().into_boxed_str()).or_default();
            match groups
                .iter_mut()
                .find(|g| g.version.as_deref() == version && g.scheme == scheme)
            {
                Some(g) => g.targets.push(idx),
                None => groups.push(Group {
                    version: version.map(Arc::from),
                    scheme,
                    parsed: version.and_then(|v| Version::parse(scheme, clean_version(v)).ok()),
                    targets: vec![idx],
                }),
            }
            stored_keys.push(k.into_boxed_str());
        };
        let tv = target.version.as_deref();
        for p in &target.purls {
            add(
                &mut self.index,
                keys::purl_key(p),
                p.version().or(tv),
                keys::purl_scheme(p.ty()),
            );
        }
        for c in &target.cpes {
            if let Some(k) = keys::cpe_key(c) {
                let v = keys::cpe_version(c);
                add(&mut self.index, k, v.as_deref().or(tv), Scheme::Generic);
            }
        }
        for m in &target.model_numbers {
            if let Some(k) = keys::model_key(m) {
                add(&mut self.index, k, tv, Scheme::Generic);
            }
        }
        for s in target.skus.iter().chain(&target.udi_di) {
            if let Some(k) = keys::sku_key(s) {
                add(&mut self.index, k, tv, Scheme::Generic);
            }
        }
        let mut vendor_norm = None;
        if let (Some(v), Some(p)) = (&target.vendor, &target.product)
            && let Some((k, _)) = keys::name_key(&self.aliases, v, p)
        {
            vendor_norm = Some(normalize_name(v));
            add(&mut self.index, k, tv, Scheme::Generic);
        }
        let stored = Stored {
            has_purl: !target.purls.is_empty(),
            has_cpe: !target.cpes.is_empty(),
            key: key.clone(),
            keys: stored_keys,
            vendor_norm,
            target,
        };
        self.targets[idx as usize] = Some(stored);
        self.by_key.insert(key, idx);
    }

    /// Removes the target with this key; returns it.
    pub fn remove(&mut self, key: &str) -> Option<Target> {
        let idx = self.by_key.remove(key)?;
        let stored = self.targets[idx as usize].take()?;
        for k in &stored.keys {
            if let Some(groups) = self.index.get_mut(k) {
                for g in groups.iter_mut() {
                    g.targets.retain(|&t| t != idx);
                }
                groups.retain(|g| !g.targets.is_empty());
                if groups.is_empty() {
                    self.index.remove(k);
                }
            }
        }
        self.free.push(idx);
        Some(stored.target)
    }
}
