//! AOAI013 diagnostic-logs: a diagnostic setting sends the account's audit or request logs
//! somewhere (Log Analytics, storage, Event Hubs), from any file of the scope.

use super::{Context, Findings, Rule};
use crate::finding::Outcome;
use crate::model::{AttrState, Existence};
use crate::resolve::{ByAccount, Target};

/// Log categories and category groups that record who called the account and what was asked.
const AUDIT_LOGS: [&str; 4] = ["Audit", "RequestResponse", "allLogs", "audit"];

pub struct DiagnosticLogs;

impl Rule for DiagnosticLogs {
    fn id(&self) -> &'static str {
        "AOAI013"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        let settings = cx.model.diagnostic_settings.iter();
        let settings = settings.map(|s| (s, &s.target, s.declared.language));
        let settings = ByAccount::new(cx.links, settings);
        for (index, account) in cx.declared_accounts() {
            let mut logged = false;
            let mut possible = None;
            let mut without_audit = Vec::new();
            for (setting, target) in settings.of(index, account.declared.language) {
                let address = &setting.declared.address;
                match target {
                    Target::Account(_) => {}
                    Target::Unresolved(reason) => {
                        possible.get_or_insert((
                            setting.target.span.clone(),
                            format!("`{}` of `{address}` {reason}", setting.target.name),
                        ));
                        continue;
                    }
                    _ => continue,
                }
                match &setting.logs.state {
                    AttrState::Unresolved { reason, .. } => {
                        possible.get_or_insert((
                            setting.logs.span.clone(),
                            format!("`{}` of `{address}` {reason}", setting.logs.name),
                        ));
                    }
                    AttrState::Explicit { value, .. } | AttrState::Default { value, .. } => {
                        let audits = value
                            .iter()
                            .any(|c| AUDIT_LOGS.iter().any(|a| a.eq_ignore_ascii_case(c)));
                        if !audits {
                            without_audit.push((
                                setting.logs.span.clone(),
                                format!("`{address}` sends no audit or request logs"),
                            ));
                            continue;
                        }
                        match &setting.declared.existence {
                            Existence::Always => logged = true,
                            Existence::Conditional { reason } => {
                                possible.get_or_insert((
                                    setting.declared.header.clone(),
                                    format!("`{address}` may not be created: {reason}"),
                                ));
                            }
                        }
                    }
                }
            }
            if logged {
                continue;
            }
            let header = account.declared.header.clone();
            if let Some((span, reason)) = possible {
                let message = format!(
                    "cannot tell whether a diagnostic setting sends this account's logs: {reason}"
                );
                let finding = out.push(&account.declared, Outcome::Unknown, header, "", message);
                finding.related.push((span, "this decides it".into()));
            } else {
                let message =
                    "no diagnostic setting sends this account's audit or request logs anywhere"
                        .to_string();
                let finding = out.account_fail(account, header, "", message);
                finding.related.extend(without_audit);
            }
        }
    }
}
