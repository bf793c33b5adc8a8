//! The resume file beside a report (`FILE.resume`): the job's id and what the job was (network,
//! default security group, the input's SHA-256), so `--resume` continues that job, and only it.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Version of the file's layout.
const VERSION: u32 = 1;

/// What a resume file holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResumeFile {
    pub version: u32,
    pub job_id: String,
    pub network_id: String,
    pub security_group_id: Option<String>,
    pub input_sha256: String,
    /// Whether the report beside it was written by a run of this job. A new job's file says
    /// `false` until its report is in place: until then the report there is another job's, and
    /// `--resume` must not take its rows for this job's. (A file without it was written before
    /// a new job's report could be told apart: its report is taken as the job's.)
    #[serde(default = "written")]
    pub report_written: bool,
}

fn written() -> bool {
    true
}

impl ResumeFile {
    pub fn new(
        job_id: String,
        network_id: &str,
        security_group_id: Option<&str>,
        input_sha256: &str,
    ) -> Self {
        Self {
            version: VERSION,
            job_id,
            network_id: network_id.to_string(),
            security_group_id: security_group_id.map(str::to_string),
            input_sha256: input_sha256.to_string(),
            report_written: false,
        }
    }

    /// The resume file of a report.
    pub fn path_for(report: &Path) -> PathBuf {
        let mut name = report.file_name().unwrap_or_default().to_os_string();
        name.push(".resume");
        report.with_file_name(name)
    }

    /// Writes the file whole or not at all.
    pub fn write(&self, path: &Path) -> Result<(), String> {
        let fail = |e: &dyn std::fmt::Display| {
            format!("cannot write the resume file {}: {e}", path.display())
        };
        let text = serde_json::to_string_pretty(self).map_err(|e| fail(&e))?;
        let mut partial = path.as_os_str().to_os_string();
        partial.push(".partial");
        let partial = PathBuf::from(partial);
        std::fs::write(&partial, text + "\n").map_err(|e| fail(&e))?;
        std::fs::rename(&partial, path).map_err(|e| fail(&e))
    }

    pub fn read(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            format!(
                "cannot read the resume file {}: {e} (--resume continues a job started with the \
                 same --report)",
                path.display()
            )
        })?;
        let file: ResumeFile = serde_json::from_str(&text)
            .map_err(|e| format!("the resume file {} is unreadable: {e}", path.display()))?;
        if file.version != VERSION {
            return Err(format!(
                "the resume file {} has version {}; this command reads version {VERSION}",
                path.display(),
                file.version
            ));
        }
        Ok(file)
    }

    /// Whether the job about to run is the one this file recorded; `Err` says what differs.
    pub fn check_same_job(&self, other: &ResumeFile) -> Result<(), String> {
        let mut differences = Vec::new();
        if self.network_id != other.network_id {
            differences.push(format!(
                "the network was {}, now {}",
                self.network_id, other.network_id
            ));
        }
        if self.security_group_id != other.security_group_id {
            differences.push(format!(
                "--security-group-id was {}, now {}",
                self.security_group_id.as_deref().unwrap_or("not given"),
                other.security_group_id.as_deref().unwrap_or("not given")
            ));
        }
        if self.input_sha256 != other.input_sha256 {
            differences.push("the input file's content changed".to_string());
        }
        if differences.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "--resume: this is not the job that was started: {}; start a new import instead",
                differences.join("; ")
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resume_files_round_trip_and_name_what_changed() {
        let dir = std::env::temp_dir().join(format!("wickr-admin-resume-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let report = dir.join("report.csv");
        let path = ResumeFile::path_for(&report);
        assert_eq!(path, dir.join("report.csv.resume"));
        let file = ResumeFile::new("job1".into(), "12345678", Some("SG1"), "abc");
        file.write(&path).unwrap();
        let back = ResumeFile::read(&path).unwrap();
        assert_eq!(back, file);
        assert!(back.check_same_job(&file).is_ok());
        let changed = ResumeFile::new("job2".into(), "12345679", Some("SG1"), "abd");
        let err = back.check_same_job(&changed).unwrap_err();
        assert!(
            err.contains("network") && err.contains("content changed"),
            "{err}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
