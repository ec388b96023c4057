//! The versioning schemes, with their names in `vers`, OSV and CVE JSON 5.

use std::fmt;
use std::str::FromStr;

use crate::error::VersionError;

/// A versioning scheme: how version strings are read and ordered.
///
/// Names follow the `vers` spec ("Some of the known versioning schemes"),
/// which uses Package URL types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Scheme {
    /// `generic`: numbers and words, for firmware and anything unknown.
    Generic,
    /// `semver`: Semantic Versioning 2.0.0.
    Semver,
    /// `date`: ISO 8601 calendar dates.
    Date,
    /// `npm`: node-semver versions (SemVer 2.0.0, leading `v`/`=` allowed).
    Npm,
    /// `golang`: Go module versions (SemVer with a `v` prefix, optional here).
    Golang,
    /// `cargo`: crates.io versions (SemVer 2.0.0).
    Cargo,
    /// `pypi`: PEP 440.
    Pypi,
    /// `maven`: Maven `ComparableVersion`.
    Maven,
    /// `deb`: Debian / Ubuntu, dpkg ordering.
    Debian,
    /// `gem`: RubyGems `Gem::Version`.
    Gem,
    /// `nuget`: NuGet (SemVer with up to four release numbers).
    Nuget,
    /// `alpine`: Alpine `apk` versions.
    Alpine,
    /// `rpm`: RPM (Red Hat, SUSE…), `rpmvercmp` ordering.
    Rpm,
}

impl Scheme {
    /// Every scheme, for tests and listings.
    pub const ALL: [Scheme; 13] = [
        Scheme::Generic,
        Scheme::Semver,
        Scheme::Date,
        Scheme::Npm,
        Scheme::Golang,
        Scheme::Cargo,
        Scheme::Pypi,
        Scheme::Maven,
        Scheme::Debian,
        Scheme::Gem,
        Scheme::Nuget,
        Scheme::Alpine,
        Scheme::Rpm,
    ];

    /// The scheme's name in a `vers` specifier.
    pub fn vers_name(self) -> &'static str {
        match self {
            Scheme::Generic => "generic",
            Scheme::Semver => "semver",
            Scheme::Date => "date",
            Scheme::Npm => "npm",
            Scheme::Golang => "golang",
            Scheme::Cargo => "cargo",
            Scheme::Pypi => "pypi",
            Scheme::Maven => "maven",
            Scheme::Debian => "deb",
            Scheme::Gem => "gem",
            Scheme::Nuget => "nuget",
            Scheme::Alpine => "alpine",
            Scheme::Rpm => "rpm",
        }
    }

    /// The scheme for a `vers` versioning-scheme name (also accepting the
    /// purl types that share a scheme: `apk`, `go`, `debian`, `ubuntu`).
    pub fn from_vers_name(name: &str) -> Option<Scheme> {
        Some(match name {
            "generic" => Scheme::Generic,
            "semver" => Scheme::Semver,
            "date" | "datetime" => Scheme::Date,
            "npm" => Scheme::Npm,
            "golang" | "go" => Scheme::Golang,
            "cargo" => Scheme::Cargo,
            "pypi" => Scheme::Pypi,
            "maven" => Scheme::Maven,
            "deb" | "debian" | "ubuntu" => Scheme::Debian,
            "gem" => Scheme::Gem,
            "nuget" => Scheme::Nuget,
            "alpine" | "apk" => Scheme::Alpine,
            "rpm" => Scheme::Rpm,
            _ => return None,
        })
    }

    /// The scheme for an OSV `affected[].package.ecosystem` (OSV schema,
    /// "Defined ecosystems"); release suffixes such as `Debian:11` or
    /// `Alpine:v3.16` are ignored. Unknown ecosystems read as [`Scheme::Generic`].
    pub fn from_osv_ecosystem(ecosystem: &str) -> Scheme {
        let base = ecosystem.split(':').next().unwrap_or(ecosystem);
        match base {
            "Go" => Scheme::Golang,
            "npm" => Scheme::Npm,
            "crates.io" => Scheme::Cargo,
            "PyPI" => Scheme::Pypi,
            "Maven" => Scheme::Maven,
            "Debian" | "Ubuntu" => Scheme::Debian,
            "RubyGems" => Scheme::Gem,
            "NuGet" => Scheme::Nuget,
            "Alpine" => Scheme::Alpine,
            "Red Hat" | "Rocky Linux" | "AlmaLinux" | "SUSE" | "openSUSE" | "Mageia"
            | "openEuler" => Scheme::Rpm,
            "Hex" | "Pub" | "SwiftURL" => Scheme::Semver,
            _ => Scheme::Generic,
        }
    }

    /// The scheme for a CVE JSON 5 `versions[].versionType` (CVE Record
    /// Format 5.x, `versionType`: "semver", "python", "maven", "custom"…);
    /// `None` for `git`, whose commit ids have no order.
    pub fn from_cve_version_type(version_type: &str) -> Option<Scheme> {
        Some(match version_type.to_ascii_lowercase().as_str() {
            "git" => return None,
            "semver" => Scheme::Semver,
            "python" | "pypi" => Scheme::Pypi,
            "maven" => Scheme::Maven,
            "npm" => Scheme::Npm,
            "go" | "golang" => Scheme::Golang,
            "deb" | "debian" | "dpkg" => Scheme::Debian,
            "gem" | "rubygems" => Scheme::Gem,
            "nuget" => Scheme::Nuget,
            "date" => Scheme::Date,
            "rpm" => Scheme::Rpm,
            _ => Scheme::Generic,
        })
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.vers_name())
    }
}

impl FromStr for Scheme {
    type Err = VersionError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Scheme::from_vers_name(s).ok_or_else(|| VersionError::UnknownScheme { name: s.into() })
    }
}
