//! The sensor's spool: one JSON file per batch in a folder, written
//! atomically (temporary file, fsync, rename), sent oldest first, removed
//! only once the server acknowledged it.
//!
//! Bounded: when a new batch would take the spool over its size, the
//! oldest batches are deleted first (counted and reported): during a long
//! outage the sensor keeps what it saw last, and devices still on the
//! network are seen again in newer batches.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use std::io::Write as _;

/// Suffix of a complete batch file.
const SUFFIX: &str = ".json";
/// Prefix of a batch being written.
const TEMP: &str = ".tmp-";

/// A spool folder.
#[derive(Debug)]
pub struct Spool {
    dir: PathBuf,
    max_bytes: u64,
    last_seq: u128,
    /// Batches deleted unsent to stay within the bound.
    pub dropped: u64,
}

impl Spool {
    /// Opens (creating) `dir`; removes batches a crash left half-written.
    pub fn open(dir: &Path, max_bytes: u64) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir.join("rejected"))
            .with_context(|| format!("cannot create the spool {}", dir.display()))?;
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            if entry.file_name().to_string_lossy().starts_with(TEMP) {
                std::fs::remove_file(entry.path())?;
            }
        }
        Ok(Self {
            dir: dir.to_owned(),
            max_bytes,
            last_seq: 0,
            dropped: 0,
        })
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Complete batches, oldest first (names start with a write sequence).
    pub fn pending(&self) -> anyhow::Result<Vec<PathBuf>> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .with_context(|| format!("cannot read the spool {}", self.dir.display()))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.ends_with(SUFFIX) && !n.starts_with('.'))
            })
            .collect();
        files.sort();
        Ok(files)
    }

    fn size(files: &[PathBuf]) -> u64 {
        files
            .iter()
            .filter_map(|f| std::fs::metadata(f).ok())
            .map(|m| m.len())
            .sum()
    }

    /// Writes a batch: `<sequence>-<batch id>.json`, atomically, deleting
    /// the oldest batches first if it would not fit under the bound.
    pub fn write(&mut self, batch_id: &uuid::Uuid, body: &[u8]) -> anyhow::Result<PathBuf> {
        let mut files = self.pending()?;
        let len = body.len() as u64;
        let mut total = Self::size(&files);
        while total + len > self.max_bytes && !files.is_empty() {
            let oldest = files.remove(0);
            total -= std::fs::metadata(&oldest).map(|m| m.len()).unwrap_or(0);
            std::fs::remove_file(&oldest)?;
            self.dropped += 1;
            eprintln!(
                "warning: spool full ({} MB): dropped the oldest batch {}",
                self.max_bytes / 1_000_000,
                oldest.display()
            );
        }
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        // Strictly increasing even when the clock steps back.
        self.last_seq = now.max(self.last_seq + 1);
        let name = format!("{:020}-{batch_id}{SUFFIX}", self.last_seq);
        let temp = self.dir.join(format!("{TEMP}{name}"));
        let path = self.dir.join(name);
        let mut f = std::fs::File::create(&temp)
            .with_context(|| format!("cannot write {}", temp.display()))?;
        f.write_all(body)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&temp, &path)
            .with_context(|| format!("cannot rename {} into the spool", temp.display()))?;
        Ok(path)
    }

    /// Forgets an acknowledged batch.
    pub fn remove(&self, path: &Path) -> anyhow::Result<()> {
        std::fs::remove_file(path).with_context(|| format!("cannot remove {}", path.display()))
    }

    /// Moves a batch the server refused for good to `rejected/`, kept for
    /// inspection and never resent.
    pub fn reject(&self, path: &Path) -> anyhow::Result<PathBuf> {
        let to = self
            .dir
            .join("rejected")
            .join(path.file_name().unwrap_or_default());
        std::fs::rename(path, &to)?;
        Ok(to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oldest_first_atomic_and_bounded() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.path().join(".tmp-half"), b"{").unwrap_or_else(|e| panic!("{e}"));
        let mut spool = Spool::open(dir.path(), 25).unwrap_or_else(|e| panic!("{e}"));
        assert!(!dir.path().join(".tmp-half").exists());
        let ids: Vec<uuid::Uuid> = (0..3).map(|_| uuid::Uuid::now_v7()).collect();
        for id in &ids {
            spool
                .write(id, b"0123456789")
                .unwrap_or_else(|e| panic!("{e}"));
        }
        // 3 × 10 bytes over a 25-byte bound: the first one went.
        let pending = spool.pending().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(pending.len(), 2);
        assert_eq!(spool.dropped, 1);
        let names: Vec<String> = pending.iter().map(|p| p.display().to_string()).collect();
        assert!(names[0].contains(&ids[1].to_string()), "{names:?}");
        assert!(names[1].contains(&ids[2].to_string()), "{names:?}");
        let moved = spool.reject(&pending[0]).unwrap_or_else(|e| panic!("{e}"));
        assert!(moved.exists());
        spool.remove(&pending[1]).unwrap_or_else(|e| panic!("{e}"));
        assert!(spool.pending().unwrap_or_else(|e| panic!("{e}")).is_empty());
    }
}
