//! AOAI019 model-lifecycle: model deployments serve versions that are not retired, deprecated or
//! about to retire, judged on the run's day against `policies/data-model-lifecycle.hcl`, and do
//! not pin (`NoAutoUpgrade`) a version that has a retirement date.

use jiff::civil::Date;

use super::{Context, Findings, Rule, possible_values};
use crate::finding::{Level, Outcome};
use crate::lifecycle::{EVERY_VERSION, LifecycleDate, LifecycleEntry, ModelLifecycle, Status};
use crate::model::{Attr, Declared, ModelDeployment};

pub struct ModelLifecycleRule;

impl Rule for ModelLifecycleRule {
    fn id(&self) -> &'static str {
        "AOAI019"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        let data = &cx.catalog.model_lifecycle;
        for deployment in &cx.model.deployments {
            check_deployment(data, cx.settings.today, deployment, out);
        }
    }

    fn subjects<'m>(&self, cx: &Context<'m>) -> Vec<&'m Declared> {
        cx.model.deployments.iter().map(|d| &d.declared).collect()
    }
}

/// The version a deployment serves, as the data knows it.
struct Served<'a> {
    name: &'a str,
    /// The version's row (`*` for a model retired whole).
    version: &'a str,
    entry: &'a LifecycleEntry,
    /// The deployment pins no version: this is the account's default, which moves.
    unpinned: bool,
}

impl Served<'_> {
    fn subject(&self, data: &ModelLifecycle) -> String {
        let name = self.name;
        match (self.unpinned, self.version) {
            (true, version) => format!(
                "the account's default version of `{name}` ({version} in the model lifecycle data of {}; the deployment pins none)",
                data.as_of.0
            ),
            (false, EVERY_VERSION) => format!("`{name}` (every version)"),
            (false, version) => format!("`{name}` version {version}"),
        }
    }
}

fn check_deployment(
    data: &ModelLifecycle,
    today: Date,
    deployment: &ModelDeployment,
    out: &mut Findings,
) {
    let model = &deployment.model;
    let Some(names) = possible_values(&model.name) else {
        return unknown(out, deployment, &model.name);
    };
    let Some(versions) = possible_values(&model.version) else {
        return unknown(out, deployment, &model.version);
    };
    let sku = deployment.sku.value().map(String::as_str);
    let mut judged = Vec::new();
    for name in &names {
        for version in &versions {
            judged.push(judge(data, today, deployment, (name, version), sku));
        }
    }
    if let [one] = &judged[..] {
        for finding in one {
            let attr = finding.at.attr(deployment);
            report(
                out,
                deployment,
                attr,
                finding.level,
                finding.message.clone(),
            );
        }
        return;
    }
    report_candidates(deployment, &names, &versions, &judged, out);
}

/// Where a finding points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum At {
    Name,
    Version,
    Upgrade,
}

impl At {
    fn attr(self, deployment: &ModelDeployment) -> &Attr<String> {
        match self {
            At::Name => &deployment.model.name,
            At::Version => &deployment.model.version,
            At::Upgrade => &deployment.version_upgrade,
        }
    }
}

/// One finding about one model version; `level` is `None` for what the data does not know.
#[derive(Debug, Clone)]
struct Judged {
    level: Option<Level>,
    at: At,
    message: String,
}

/// What the data says of the model `name` in `version` (empty: not pinned) on `today`.
fn judge(
    data: &ModelLifecycle,
    today: Date,
    deployment: &ModelDeployment,
    (name, version): (&str, &str),
    sku: Option<&str>,
) -> Vec<Judged> {
    let pinned = match version.is_empty() {
        false => Some(version),
        true => data.default_version(name),
    };
    let found = pinned.and_then(|v| Some((v, data.entry(name, v)?)));
    let Some((pinned, entry)) = found else {
        return match (version.is_empty(), data.versions(name)) {
            (true, Some(_)) => unpinned(data, today, name, sku).into_iter().collect(),
            _ => vec![not_in_data(data, deployment, name, version)],
        };
    };
    let served = Served {
        name,
        version: data_version(data, name, pinned),
        entry,
        unpinned: version.is_empty(),
    };
    let mut judged = Vec::new();
    let verdict = verdict(data, entry, sku, today);
    let retired = matches!(verdict, Some((Level::Error, _)));
    if let Some((level, why)) = verdict {
        judged.push(Judged {
            level: Some(level),
            at: At::Version,
            message: format!("{} {why}", served.subject(data)),
        });
    }
    if !retired {
        judged.extend(no_auto_upgrade(data, &served, deployment, sku));
    }
    judged
}

/// A model or version that is one of several: a finding where every candidate gives one of the
/// same level, unknown where they differ, nothing where none gives one.
fn report_candidates(
    deployment: &ModelDeployment,
    names: &[&str],
    versions: &[&str],
    judged: &[Vec<Judged>],
    out: &mut Findings,
) {
    let listed = |values: &[&str]| values.join(" or ");
    let which = match (names, versions) {
        ([name], _) => format!("`{name}` is served in version {}", listed(versions)),
        (_, [version]) => format!("the model is one of {} (version {version})", listed(names)),
        _ => format!(
            "the model is one of {} in version {}",
            listed(names),
            listed(versions)
        ),
    };
    for at in [At::Name, At::Version, At::Upgrade] {
        let here: Vec<Option<&Judged>> = judged
            .iter()
            .map(|findings| findings.iter().find(|f| f.at == at))
            .collect();
        if here.iter().all(Option::is_none) {
            continue;
        }
        let first = here[0].map(|f| f.level);
        let agree = here.iter().all(|f| f.map(|f| f.level) == first);
        let messages: Vec<&str> = here.iter().flatten().map(|f| f.message.as_str()).collect();
        let (attr, messages) = (at.attr(deployment), messages.join("; "));
        let why = [&deployment.model.name, &deployment.model.version]
            .into_iter()
            .find_map(|attr| Some(format!("`{}` {}", attr.name, attr.unresolved_reason()?)))
            .unwrap_or_default();
        match (agree, first.flatten()) {
            (true, Some(level)) => {
                let message = format!("{which} ({why}), and each: {messages}");
                report(out, deployment, attr, Some(level), message);
            }
            _ => {
                let message = format!(
                    "cannot tell the lifecycle of the deployment's model: {which} ({why}), and they differ: {messages}"
                );
                out.unknown_on(&deployment.declared, attr, message);
            }
        }
    }
}

/// The version as the data lists it: its own row's, or `*` when the model is retired whole.
fn data_version<'a>(data: &'a ModelLifecycle, name: &str, version: &'a str) -> &'a str {
    match data.versions(name).is_some_and(|v| v.contains_key(version)) {
        true => version,
        false => EVERY_VERSION,
    }
}

/// How a version stands on `today`, gravest first: its level and why (after the subject).
fn verdict(
    data: &ModelLifecycle,
    entry: &LifecycleEntry,
    sku: Option<&str>,
    today: Date,
) -> Option<(Level, String)> {
    let instead = match &entry.replacement {
        Some(replacement) => format!("; the suggested replacement is `{replacement}`"),
        None => String::new(),
    };
    let for_sku = sku_note(entry, sku);
    if let Some(retirement) = entry.retirement_for(sku) {
        let days = (retirement.day - today).get_days();
        if retirement.day <= today && !retirement.no_earlier_than {
            return Some((
                Level::Error,
                format!(
                    "was retired on {}{for_sku}: deployments of a retired model return errors{instead}",
                    retirement.day
                ),
            ));
        }
        if retirement.day <= today {
            return Some((
                Level::Warning,
                format!(
                    "can be retired any day now: its retirement is due {retirement}{for_sku}{instead}"
                ),
            ));
        }
        if i64::from(days) <= data.retiring_soon_days {
            return Some((
                Level::Warning,
                format!(
                    "retires {}{for_sku}, in {days} days{instead}",
                    on(retirement)
                ),
            ));
        }
    }
    if let Some(deprecation) = entry.deprecation.filter(|d| d.day <= today) {
        let retires = match entry.retirement_for(sku) {
            Some(retirement) => format!(", and retires {}{for_sku}", on(retirement)),
            None => String::new(),
        };
        let since = match deprecation.no_earlier_than {
            true => format!("may be deprecated: its deprecation was due {deprecation}"),
            false => format!("is deprecated since {deprecation} (no new customers)"),
        };
        return Some((Level::Warning, format!("{since}{retires}{instead}")));
    }
    (entry.status == Some(Status::Preview)).then(|| {
        (
            Level::Note,
            "is a preview model version: preview terms apply (no SLA; it may not be covered by the Data Protection Addendum)".to_string(),
        )
    })
}

/// "on 2026-10-01", or "no earlier than 2026-10-01".
fn on(date: LifecycleDate) -> String {
    match date.no_earlier_than {
        true => date.to_string(),
        false => format!("on {}", date.day),
    }
}

/// Which deployments a retirement date is for, when it depends on the deployment type.
fn sku_note(entry: &LifecycleEntry, sku: Option<&str>) -> String {
    match (entry.retires_by_sku(), sku) {
        (false, _) => String::new(),
        (true, Some(sku)) => format!(" for `{sku}` deployments"),
        (true, None) => {
            " for some deployment types (the deployment's SKU is not known: the earliest date)"
                .into()
        }
    }
}

/// `NoAutoUpgrade` on a version with a retirement date: the deployment stops working on that
/// date instead of moving to a newer version.
fn no_auto_upgrade(
    data: &ModelLifecycle,
    served: &Served<'_>,
    deployment: &ModelDeployment,
    sku: Option<&str>,
) -> Option<Judged> {
    let upgrade = &deployment.version_upgrade;
    let pinned = upgrade
        .value()
        .is_some_and(|option| option.eq_ignore_ascii_case("NoAutoUpgrade"));
    let retirement = served.entry.retirement_for(sku).filter(|_| pinned)?;
    let message = format!(
        "the deployment never upgrades ({}) and {} retires {}{}: it stops working then instead of moving to a newer version",
        upgrade.describe(),
        served.subject(data),
        on(retirement),
        sku_note(served.entry, sku)
    );
    Some(Judged {
        level: Some(Level::Warning),
        at: At::Upgrade,
        message,
    })
}

/// A deployment that pins no version, of a model whose default version the data does not
/// give: an error when every version the data lists is retired, nothing otherwise.
fn unpinned(data: &ModelLifecycle, today: Date, name: &str, sku: Option<&str>) -> Option<Judged> {
    let versions = data.versions(name)?;
    let retired = |entry: &LifecycleEntry| {
        entry
            .retirement_for(sku)
            .is_some_and(|r| r.day <= today && !r.no_earlier_than)
    };
    if !versions.values().all(retired) {
        return None;
    }
    let listed: Vec<&str> = versions.keys().map(String::as_str).collect();
    let message = format!(
        "the deployment pins no version of `{name}`, and every version of it in the model lifecycle data of {} is retired ({}): deployments of a retired model return errors",
        data.as_of.0,
        listed.join(", ")
    );
    Some(Judged {
        level: Some(Level::Error),
        at: At::Version,
        message,
    })
}

/// A model, or a version, the data does not list: its dates are not known here, never guessed.
fn not_in_data(
    data: &ModelLifecycle,
    deployment: &ModelDeployment,
    name: &str,
    version: &str,
) -> Judged {
    let as_of = data.as_of.0;
    let (at, message) = match data.versions(name) {
        Some(versions) => {
            let listed: Vec<&str> = versions.keys().map(String::as_str).collect();
            let message = format!(
                "version {version} of `{name}` is not in the model lifecycle data of {as_of} (it lists {}): its deprecation and retirement dates are not known here",
                listed.join(", ")
            );
            (At::Version, message)
        }
        None => {
            let format = deployment.model.format.value().map_or("", String::as_str);
            let covers = match format.eq_ignore_ascii_case("OpenAI") || format.is_empty() {
                true => String::new(),
                false => format!(" (a `{format}` model: the data lists Azure OpenAI models)"),
            };
            let message = format!(
                "`{name}` is not in the model lifecycle data of {as_of}{covers}: its deprecation and retirement dates are not known here"
            );
            (At::Name, message)
        }
    };
    Judged {
        level: None,
        at,
        message,
    }
}

fn unknown(out: &mut Findings, deployment: &ModelDeployment, attr: &Attr<String>) {
    let message = format!(
        "cannot tell the lifecycle of the deployment's model: {}",
        attr.describe()
    );
    out.unknown_on(&deployment.declared, attr, message);
}

/// A failure at `attr`, at `level` (the policy's own level for warnings); without a level, what
/// the data does not know, as an unknown.
fn report(
    out: &mut Findings,
    deployment: &ModelDeployment,
    attr: &Attr<String>,
    level: Option<Level>,
    message: String,
) {
    let Some(level) = level else {
        let finding = out.unknown_on(&deployment.declared, attr, message);
        finding.label = "not in the lifecycle data".into();
        return;
    };
    let span = attr.span.clone();
    let finding = out.push(
        &deployment.declared,
        Outcome::Fail,
        span,
        &attr.name,
        message,
    );
    finding.level = (level != Level::Warning).then_some(level);
    if let Some(via) = attr.via() {
        finding.related.push((via.span.clone(), via.label.into()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::catalog;

    /// The level and words of a version's verdict on `today`, for a SKU.
    fn judged(
        name: &str,
        version: &str,
        sku: Option<&str>,
        today: &str,
    ) -> Option<(Level, String)> {
        let data = &catalog().model_lifecycle;
        let entry = data.entry(name, version).unwrap();
        verdict(data, entry, sku, today.parse().unwrap())
    }

    #[test]
    fn a_version_is_judged_by_the_day_gravest_first() {
        let level = |name, version, today| {
            judged(name, version, Some("GlobalStandard"), today).map(|(l, _)| l)
        };
        // Preview, far from its retirement: a note; within 90 days of it: a warning.
        assert_eq!(
            level("gpt-image-1.5", "2025-12-16", "2026-01-10"),
            Some(Level::Note)
        );
        assert_eq!(
            level("gpt-image-1.5", "2025-12-16", "2026-11-01"),
            Some(Level::Warning)
        );
        // GA, before its deprecation: nothing; deprecated: a warning; retired: an error.
        assert_eq!(level("gpt-4.1", "2025-04-14", "2026-01-01"), None);
        assert_eq!(
            level("gpt-4.1", "2025-04-14", "2026-05-01"),
            Some(Level::Warning)
        );
        assert_eq!(
            level("gpt-4.1", "2025-04-14", "2026-10-14"),
            Some(Level::Error)
        );
        // A lower bound that has passed is never a retirement: a warning.
        let (_, why) = judged("sora-2", "2025-10-15", None, "2026-12-07").unwrap();
        assert!(why.contains("due no earlier than 2026-04-30"), "{why}");
        // A deprecation due "no earlier than" a day that has passed may have happened.
        let (_, why) = judged("whisper", "001", None, "2026-07-01").unwrap();
        assert!(why.starts_with("may be deprecated"), "{why}");
    }

    #[test]
    fn a_retirement_that_depends_on_the_sku_says_for_which() {
        let on = |sku| judged("gpt-4o", "2024-08-06", sku, "2026-05-01").unwrap();
        let (level, why) = on(Some("Standard"));
        assert_eq!(level, Level::Error);
        assert!(
            why.contains("on 2026-03-31 for `Standard` deployments"),
            "{why}"
        );
        let (level, why) = on(Some("DataZoneStandard"));
        assert_eq!(level, Level::Warning);
        assert!(
            why.contains("deprecated since 2025-08-06") && why.contains("2026-10-01"),
            "{why}"
        );
        let (level, why) = on(None);
        assert_eq!(level, Level::Error);
        assert!(why.contains("the earliest date"), "{why}");
    }
}
