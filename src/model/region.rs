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

/// An approved region as written, if it is a region Azure OpenAI has; else what to say, with
/// the nearest one suggested (`swedencentrl` -> `swedencentral`).
pub fn approved_region(written: &str, known: &[String]) -> Result<String, String> {
    let region = normalize_region(written);
    if known.contains(&region) {
        return Ok(region);
    }
    let nearest = known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(&region, k), k))
        .min()
        .filter(|(distance, _)| *distance <= 3)
        .map(|(_, k)| format!(" (did you mean `{k}`?)"))
        .unwrap_or_default();
    Err(format!(
        "`{written}` is not an Azure OpenAI region{nearest}"
    ))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn approved_regions_are_checked_and_the_nearest_suggested() {
        let known = ["swedencentral".to_string(), "eastus".to_string()];
        assert_eq!(
            approved_region("Sweden Central", &known).as_deref(),
            Ok("swedencentral")
        );
        let error = approved_region("swedencentrl", &known).unwrap_err();
        assert!(error.contains("did you mean `swedencentral`"), "{error}");
        assert!(
            !approved_region("mars", &known)
                .unwrap_err()
                .contains("did you mean")
        );
    }
}
