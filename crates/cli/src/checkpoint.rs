//! Crash-safe checkpoints: a run killed at any moment (power cut, `kill -9`) resumes from the
//! last complete checkpoint and continues exactly where it was (data order, augmentation random
//! state, optimiser moments).
//!
//! A checkpoint is a set of files (weights, optimiser state, run position) that must be read
//! together. Each set is written into a fresh directory `step-NNNNNNNN.partial`, every file
//! synced, the directory renamed to `step-NNNNNNNN`, and only then is the manifest
//! `latest.json` (naming the directory, each file's length and CRC-32) replaced through a
//! synced temporary file and one rename. Older sets are deleted after that. So at every instant
//! the manifest names a complete set, and a set the manifest names is never touched.

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The manifest's file name inside the checkpoint directory.
const MANIFEST: &str = "latest.json";
/// Test hook: milliseconds to wait between the files of a set, so a test can kill the process
/// while a set is being written.
pub const SLOW_WRITE_ENV: &str = "INKLING_TEST_CHECKPOINT_PAUSE_MS";

/// One file of a set, as the manifest records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct FileEntry {
    name: String,
    bytes: u64,
    crc32: u32,
}

/// The manifest: which set is current.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Manifest {
    step: usize,
    dir: String,
    files: Vec<FileEntry>,
}

/// A set read back: its step and its files (name, contents).
pub type LoadedSet = (usize, Vec<(String, Vec<u8>)>);

/// The checkpoint directory of a run (`<out>/checkpoint`).
pub struct Checkpoints {
    dir: PathBuf,
    pause_ms: u64,
}

impl Checkpoints {
    /// Checkpoints kept in `dir` (created when missing).
    pub fn new(dir: PathBuf) -> Result<Self> {
        fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let pause_ms = std::env::var(SLOW_WRITE_ENV)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        Ok(Self { dir, pause_ms })
    }

    /// Writes the set `files` (name, contents) for `step` and makes it the current one.
    pub fn save(&self, step: usize, files: &[(&str, &[u8])]) -> Result<()> {
        let name = format!("step-{step:08}");
        let partial = self.dir.join(format!("{name}.partial"));
        let done = self.dir.join(&name);
        // Leftovers of an interrupted attempt at the same step.
        for stale in [&partial, &done] {
            if stale.exists() {
                fs::remove_dir_all(stale)
                    .with_context(|| format!("cannot remove {}", stale.display()))?;
            }
        }
        fs::create_dir(&partial).with_context(|| format!("cannot create {}", partial.display()))?;
        if self.pause_ms > 0 {
            eprintln!("checkpoint: writing step {step}");
        }
        let mut entries = Vec::with_capacity(files.len());
        for (file, bytes) in files {
            write_synced(&partial.join(file), bytes)?;
            entries.push(FileEntry {
                name: file.to_string(),
                bytes: bytes.len() as u64,
                crc32: crc32fast::hash(bytes),
            });
            if self.pause_ms > 0 {
                std::thread::sleep(std::time::Duration::from_millis(self.pause_ms));
            }
        }
        fs::rename(&partial, &done).with_context(|| format!("cannot write {}", done.display()))?;
        sync_dir(&self.dir)?;
        let manifest = Manifest {
            step,
            dir: name.clone(),
            files: entries,
        };
        let tmp = self.dir.join(format!("{MANIFEST}.tmp"));
        write_synced(&tmp, &serde_json::to_vec_pretty(&manifest)?)?;
        fs::rename(&tmp, self.dir.join(MANIFEST))
            .with_context(|| format!("cannot write the manifest in {}", self.dir.display()))?;
        sync_dir(&self.dir)?;
        if self.pause_ms > 0 {
            eprintln!("checkpoint: step {step} saved");
        }
        self.remove_all_but(&name)
    }

    /// The current set: its step and its files' contents, each checked against the manifest.
    /// `None` when no checkpoint was ever completed.
    pub fn load(&self) -> Result<Option<LoadedSet>> {
        let path = self.dir.join(MANIFEST);
        let text = match fs::read(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        };
        let manifest: Manifest = serde_json::from_slice(&text)
            .with_context(|| format!("{} is damaged", path.display()))?;
        if manifest.dir.contains(['/', '\\']) || manifest.dir.starts_with('.') {
            bail!("{} names an invalid directory", path.display());
        }
        let set = self.dir.join(&manifest.dir);
        let mut files = Vec::with_capacity(manifest.files.len());
        for entry in &manifest.files {
            let file = set.join(&entry.name);
            let bytes =
                fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            if bytes.len() as u64 != entry.bytes || crc32fast::hash(&bytes) != entry.crc32 {
                bail!(
                    "checkpoint file {} is damaged ({} bytes, manifest says {})",
                    file.display(),
                    bytes.len(),
                    entry.bytes
                );
            }
            files.push((entry.name.clone(), bytes));
        }
        Ok(Some((manifest.step, files)))
    }

    /// Deletes every set but `keep` (older sets and interrupted writes).
    fn remove_all_but(&self, keep: &str) -> Result<()> {
        for entry in fs::read_dir(&self.dir)? {
            let entry = entry?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with("step-") && name != keep && entry.path().is_dir() {
                fs::remove_dir_all(entry.path())
                    .with_context(|| format!("cannot remove {}", entry.path().display()))?;
            }
        }
        Ok(())
    }
}

/// Writes `bytes` to `path` and waits until they are on disk.
fn write_synced(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut file =
        File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
    file.write_all(bytes)
        .and_then(|_| file.sync_all())
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Makes renames inside `dir` durable.
fn sync_dir(dir: &Path) -> Result<()> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .with_context(|| format!("cannot sync {}", dir.display()))
}

/// Writes `bytes` to `path` through a synced temporary file and one rename, so a crash leaves
/// either the old file or the new one, never half of one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("tmp");
    write_synced(&tmp, bytes)?;
    fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        sync_dir(parent)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latest_complete_set_is_read_back_and_older_sets_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let checkpoints = Checkpoints::new(dir.path().join("checkpoint")).unwrap();
        assert!(checkpoints.load().unwrap().is_none());
        checkpoints
            .save(10, &[("a", b"one"), ("b", b"two")])
            .unwrap();
        checkpoints
            .save(20, &[("a", b"three"), ("b", b"four")])
            .unwrap();
        let (step, files) = checkpoints.load().unwrap().unwrap();
        assert_eq!(step, 20);
        assert_eq!(files[0], ("a".to_string(), b"three".to_vec()));
        let sets: Vec<_> = fs::read_dir(dir.path().join("checkpoint"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| n.starts_with("step-"))
            .collect();
        assert_eq!(sets, ["step-00000020"]);
    }

    #[test]
    fn an_interrupted_write_leaves_the_previous_set_current() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("checkpoint");
        let checkpoints = Checkpoints::new(root.clone()).unwrap();
        checkpoints.save(10, &[("a", b"one")]).unwrap();
        // What a kill in the middle of the next save leaves behind.
        fs::create_dir(root.join("step-00000020.partial")).unwrap();
        fs::write(root.join("step-00000020.partial/a"), b"thr").unwrap();
        fs::write(root.join("latest.json.tmp"), b"{\"st").unwrap();
        let (step, files) = checkpoints.load().unwrap().unwrap();
        assert_eq!((step, files[0].1.as_slice()), (10, &b"one"[..]));
        // The next save cleans up after it.
        checkpoints.save(20, &[("a", b"three")]).unwrap();
        assert!(!root.join("step-00000020.partial").exists());
        assert_eq!(checkpoints.load().unwrap().unwrap().0, 20);
    }

    #[test]
    fn a_damaged_file_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("checkpoint");
        let checkpoints = Checkpoints::new(root.clone()).unwrap();
        checkpoints.save(10, &[("weights", b"0123456789")]).unwrap();
        fs::write(root.join("step-00000010/weights"), b"0123456780").unwrap();
        let message = checkpoints.load().unwrap_err().to_string();
        assert!(
            message.contains("weights") && message.contains("damaged"),
            "{message}"
        );
    }
}
