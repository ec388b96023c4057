//! SOP class UIDs (abstract syntaxes) to the kind of system that uses them,
//! from the SOP class registry in PS3.6 Annex A and PS3.4 Annex B.
//!
//! A table, not an exhaustive registry: exact UIDs first, then UID prefixes
//! for families (RT, print management, other storage).

use serde::Serialize;

/// What kind of modality or system an abstract syntax points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum SystemKind {
    /// Computed tomography.
    Ct,
    /// Magnetic resonance.
    Mr,
    /// Ultrasound.
    Us,
    /// Computed / digital radiography (incl. intra-oral).
    CrDx,
    /// Mammography and breast tomosynthesis.
    Mammography,
    /// X-ray angiography and fluoroscopy.
    XRayAngiography,
    /// Nuclear medicine.
    NuclearMedicine,
    /// Positron emission tomography.
    Pet,
    /// Radiation therapy (planning, treatment records, images).
    RadiationTherapy,
    /// Secondary capture (workstations, scanners, converters).
    SecondaryCapture,
    /// Visible light (endoscopy, photography, ophthalmology, microscopy).
    VisibleLight,
    /// Waveforms (ECG, haemodynamic).
    Waveform,
    /// Structured reports (incl. dose reports).
    StructuredReport,
    /// Encapsulated documents (PDF, CDA).
    Document,
    /// Presentation states.
    PresentationState,
    /// Other or unclassified image storage.
    OtherStorage,
    /// Storage commitment.
    StorageCommitment,
    /// Modality worklist.
    Worklist,
    /// Modality performed procedure step.
    Mpps,
    /// Query/retrieve (FIND, MOVE, GET).
    QueryRetrieve,
    /// Verification (C-ECHO).
    Verification,
    /// Print management (film printers).
    Print,
}

/// An entry of the SOP class table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SopClass {
    /// The UID.
    pub uid: &'static str,
    /// Its name in PS3.6 Annex A.
    pub name: &'static str,
    /// The kind of system.
    pub kind: SystemKind,
}

use SystemKind as K;

const EXACT: &[(&str, &str, SystemKind)] = &[
    (
        "1.2.840.10008.1.1",
        "Verification SOP Class",
        K::Verification,
    ),
    (
        "1.2.840.10008.1.20.1",
        "Storage Commitment Push Model SOP Class",
        K::StorageCommitment,
    ),
    (
        "1.2.840.10008.3.1.2.3.3",
        "Modality Performed Procedure Step SOP Class",
        K::Mpps,
    ),
    (
        "1.2.840.10008.5.1.4.31",
        "Modality Worklist Information Model - FIND",
        K::Worklist,
    ),
    (
        "1.2.840.10008.5.1.4.1.2.1.1",
        "Patient Root Query/Retrieve Information Model - FIND",
        K::QueryRetrieve,
    ),
    (
        "1.2.840.10008.5.1.4.1.2.1.2",
        "Patient Root Query/Retrieve Information Model - MOVE",
        K::QueryRetrieve,
    ),
    (
        "1.2.840.10008.5.1.4.1.2.1.3",
        "Patient Root Query/Retrieve Information Model - GET",
        K::QueryRetrieve,
    ),
    (
        "1.2.840.10008.5.1.4.1.2.2.1",
        "Study Root Query/Retrieve Information Model - FIND",
        K::QueryRetrieve,
    ),
    (
        "1.2.840.10008.5.1.4.1.2.2.2",
        "Study Root Query/Retrieve Information Model - MOVE",
        K::QueryRetrieve,
    ),
    (
        "1.2.840.10008.5.1.4.1.2.2.3",
        "Study Root Query/Retrieve Information Model - GET",
        K::QueryRetrieve,
    ),
    (
        "1.2.840.10008.5.1.4.1.2.3.1",
        "Patient/Study Only Query/Retrieve Information Model - FIND",
        K::QueryRetrieve,
    ),
    (
        "1.2.840.10008.5.1.4.1.2.3.2",
        "Patient/Study Only Query/Retrieve Information Model - MOVE",
        K::QueryRetrieve,
    ),
    (
        "1.2.840.10008.5.1.4.1.2.3.3",
        "Patient/Study Only Query/Retrieve Information Model - GET",
        K::QueryRetrieve,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.1",
        "Computed Radiography Image Storage",
        K::CrDx,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.1.1",
        "Digital X-Ray Image Storage - For Presentation",
        K::CrDx,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.1.1.1",
        "Digital X-Ray Image Storage - For Processing",
        K::CrDx,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.1.2",
        "Digital Mammography X-Ray Image Storage - For Presentation",
        K::Mammography,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.1.2.1",
        "Digital Mammography X-Ray Image Storage - For Processing",
        K::Mammography,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.1.3",
        "Digital Intra-Oral X-Ray Image Storage - For Presentation",
        K::CrDx,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.1.3.1",
        "Digital Intra-Oral X-Ray Image Storage - For Processing",
        K::CrDx,
    ),
    ("1.2.840.10008.5.1.4.1.1.2", "CT Image Storage", K::Ct),
    (
        "1.2.840.10008.5.1.4.1.1.2.1",
        "Enhanced CT Image Storage",
        K::Ct,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.2.2",
        "Legacy Converted Enhanced CT Image Storage",
        K::Ct,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.3.1",
        "Ultrasound Multi-frame Image Storage",
        K::Us,
    ),
    ("1.2.840.10008.5.1.4.1.1.4", "MR Image Storage", K::Mr),
    (
        "1.2.840.10008.5.1.4.1.1.4.1",
        "Enhanced MR Image Storage",
        K::Mr,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.4.2",
        "MR Spectroscopy Storage",
        K::Mr,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.4.3",
        "Enhanced MR Color Image Storage",
        K::Mr,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.6.1",
        "Ultrasound Image Storage",
        K::Us,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.6.2",
        "Enhanced US Volume Storage",
        K::Us,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.7",
        "Secondary Capture Image Storage",
        K::SecondaryCapture,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.7.1",
        "Multi-frame Single Bit Secondary Capture Image Storage",
        K::SecondaryCapture,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.7.2",
        "Multi-frame Grayscale Byte Secondary Capture Image Storage",
        K::SecondaryCapture,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.7.3",
        "Multi-frame Grayscale Word Secondary Capture Image Storage",
        K::SecondaryCapture,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.7.4",
        "Multi-frame True Color Secondary Capture Image Storage",
        K::SecondaryCapture,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.11.1",
        "Grayscale Softcopy Presentation State Storage",
        K::PresentationState,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.12.1",
        "X-Ray Angiographic Image Storage",
        K::XRayAngiography,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.12.2",
        "X-Ray Radiofluoroscopic Image Storage",
        K::XRayAngiography,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.13.1.1",
        "X-Ray 3D Angiographic Image Storage",
        K::XRayAngiography,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.13.1.3",
        "Breast Tomosynthesis Image Storage",
        K::Mammography,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.20",
        "Nuclear Medicine Image Storage",
        K::NuclearMedicine,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.128",
        "Positron Emission Tomography Image Storage",
        K::Pet,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.130",
        "Enhanced PET Image Storage",
        K::Pet,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.88.11",
        "Basic Text SR Storage",
        K::StructuredReport,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.88.22",
        "Enhanced SR Storage",
        K::StructuredReport,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.88.33",
        "Comprehensive SR Storage",
        K::StructuredReport,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.88.67",
        "X-Ray Radiation Dose SR Storage",
        K::StructuredReport,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.104.1",
        "Encapsulated PDF Storage",
        K::Document,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.104.2",
        "Encapsulated CDA Storage",
        K::Document,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.9.1.1",
        "12-lead ECG Waveform Storage",
        K::Waveform,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.9.1.2",
        "General ECG Waveform Storage",
        K::Waveform,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.9.1.3",
        "Ambulatory ECG Waveform Storage",
        K::Waveform,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.9.2.1",
        "Hemodynamic Waveform Storage",
        K::Waveform,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.9.3.1",
        "Cardiac Electrophysiology Waveform Storage",
        K::Waveform,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.77.1.1",
        "VL Endoscopic Image Storage",
        K::VisibleLight,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.77.1.2",
        "VL Microscopic Image Storage",
        K::VisibleLight,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.77.1.4",
        "VL Photographic Image Storage",
        K::VisibleLight,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.77.1.5.1",
        "Ophthalmic Photography 8 Bit Image Storage",
        K::VisibleLight,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.481.1",
        "RT Image Storage",
        K::RadiationTherapy,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.481.2",
        "RT Dose Storage",
        K::RadiationTherapy,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.481.3",
        "RT Structure Set Storage",
        K::RadiationTherapy,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.481.4",
        "RT Beams Treatment Record Storage",
        K::RadiationTherapy,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.481.5",
        "RT Plan Storage",
        K::RadiationTherapy,
    ),
    (
        "1.2.840.10008.5.1.1.9",
        "Basic Grayscale Print Management Meta SOP Class",
        K::Print,
    ),
    (
        "1.2.840.10008.5.1.1.18",
        "Basic Color Print Management Meta SOP Class",
        K::Print,
    ),
];

/// Families recognised by UID prefix when the exact UID is not in the table.
const PREFIXES: &[(&str, &str, SystemKind)] = &[
    (
        "1.2.840.10008.5.1.4.1.1.481.",
        "RT Storage",
        K::RadiationTherapy,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.77.",
        "Visible Light Storage",
        K::VisibleLight,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.9.",
        "Waveform Storage",
        K::Waveform,
    ),
    (
        "1.2.840.10008.5.1.4.1.1.88.",
        "Structured Report Storage",
        K::StructuredReport,
    ),
    ("1.2.840.10008.5.1.4.1.1.", "Storage", K::OtherStorage),
    (
        "1.2.840.10008.5.1.4.1.2.",
        "Query/Retrieve",
        K::QueryRetrieve,
    ),
    ("1.2.840.10008.5.1.1.", "Print Management", K::Print),
];

/// Looks up an abstract syntax UID (trailing NUL/space padding ignored).
pub fn sop_class(uid: &str) -> Option<SopClass> {
    let uid = uid.trim_end_matches(['\0', ' ']);
    if let Some(&(u, name, kind)) = EXACT.iter().find(|(u, _, _)| *u == uid) {
        return Some(SopClass { uid: u, name, kind });
    }
    PREFIXES
        .iter()
        .find(|(p, _, _)| uid.starts_with(p))
        .map(|&(p, name, kind)| SopClass { uid: p, name, kind })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_and_prefix() {
        assert_eq!(
            sop_class("1.2.840.10008.5.1.4.1.1.2").map(|s| s.kind),
            Some(K::Ct)
        );
        assert_eq!(
            sop_class("1.2.840.10008.5.1.4.1.1.481.9").map(|s| s.kind),
            Some(K::RadiationTherapy)
        );
        assert_eq!(
            sop_class("1.2.840.10008.5.1.1.30").map(|s| s.kind),
            Some(K::Print)
        );
        assert_eq!(sop_class("1.2.3"), None);
    }
}
