//! String interning: every distinct string of a catalog is stored once and
//! named by a 32-bit symbol; findings share the same `Arc<str>`.

use rustc_hash::FxHashMap;
use std::sync::Arc;

/// A symbol: index of an interned string.
pub(crate) type Sym = u32;

/// The interner.
#[derive(Debug, Default, Clone)]
pub(crate) struct Interner {
    map: FxHashMap<Arc<str>, Sym>,
    strings: Vec<Arc<str>>,
}

impl Interner {
    pub(crate) fn intern(&mut self, s: &str) -> Sym {
        if let Some(&sym) = self.map.get(s) {
            return sym;
        }
        let arc: Arc<str> = Arc::from(s);
        let sym = Sym::try_from(self.strings.len()).unwrap_or(Sym::MAX);
        self.strings.push(arc.clone());
        self.map.insert(arc, sym);
        sym
    }

    pub(crate) fn get(&self, s: &str) -> Option<Sym> {
        self.map.get(s).copied()
    }

    pub(crate) fn resolve(&self, sym: Sym) -> &Arc<str> {
        &self.strings[sym as usize]
    }
}
