//! Regions as the configuration, the command line, the front-ends and the rules all read them:
//! one canonical name, and where model deployments may process data.

/// Azure's canonical region name: lower case, no spaces ("East US 2" -> "eastus2").
pub fn normalize_region(location: &str) -> String {
    location
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Where model deployments may process data (`data_residency` in the configuration).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum DataResidency {
    /// No residency requirement: the rule checks nothing.
    #[default]
    Off,
    /// Only the account's own region: regional SKUs only.
    Region,
    /// The EU data zone: no `Global*` SKUs, `DataZone*` only for accounts in the EU zone.
    #[value(name = "datazone-eu")]
    DatazoneEu,
    /// The US data zone, likewise.
    #[value(name = "datazone-us")]
    DatazoneUs,
}

impl DataResidency {
    pub fn parse(text: &str) -> Option<DataResidency> {
        match text {
            "off" => Some(DataResidency::Off),
            "region" => Some(DataResidency::Region),
            "datazone-eu" => Some(DataResidency::DatazoneEu),
            "datazone-us" => Some(DataResidency::DatazoneUs),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DataResidency::Off => "off",
            DataResidency::Region => "region",
            DataResidency::DatazoneEu => "datazone-eu",
            DataResidency::DatazoneUs => "datazone-us",
        }
    }
}
