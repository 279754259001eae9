//! Builders for what many tests need before they start: an event with a skill, delegations,
//! confirmed entries, experts and a scheme, made through the API as an organiser would, in a few
//! readable lines:
//!
//! ```ignore
//! let e = EventBuilder::new(&app, &admin).delegations(&["SH", "TJ"]).entries(&["SH"]).build().await;
//! app.get(&format!("/api/v1/entries/{}", e.entry("SH")), &admin).await;
//! ```

use std::collections::HashMap;

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::TestApp;
use crate::marking::ok;

/// One event with one skill, built by `build` as the admin whose token it was given.
pub struct EventBuilder<'a> {
    app: &'a TestApp,
    admin: String,
    event: Value,
    rules: Option<Value>,
    skill: Value,
    delegations: Vec<String>,
    entries: Vec<String>,
    experts: Vec<(String, String, String, bool)>,
    scheme: Option<(Value, bool)>,
}

/// What `EventBuilder::build` made: its ids, by delegation code and email.
pub struct Event {
    pub id: String,
    pub skill: String,
    /// Delegation ids by code.
    pub delegations: HashMap<String, String>,
    /// Entry ids (in the skill) by delegation code, in the order given.
    pub entries: Vec<(String, String)>,
    /// Competitor ids by delegation code.
    pub competitors: HashMap<String, String>,
    /// Experts' user ids by email, in the order given.
    pub experts: Vec<(String, String)>,
}

impl Event {
    pub fn delegation(&self, code: &str) -> &str {
        self.delegations.get(code).unwrap_or_else(|| panic!("no delegation {code}"))
    }

    pub fn entry(&self, code: &str) -> &str {
        find(&self.entries, code, "entry of")
    }

    pub fn expert(&self, email: &str) -> &str {
        find(&self.experts, email, "expert")
    }
}

fn find<'v>(pairs: &'v [(String, String)], key: &str, what: &str) -> &'v str {
    pairs.iter().find(|(k, _)| k == key).map(|(_, id)| id.as_str()).unwrap_or_else(|| panic!("no {what} {key}"))
}

impl<'a> EventBuilder<'a> {
    /// An event "E" (C1 on 2027-06-13, registration until 2027-05-01) with skill 01 and nothing
    /// else yet.
    pub fn new(app: &'a TestApp, admin: &str) -> Self {
        Self {
            app,
            admin: admin.to_string(),
            event: json!({"name": "E", "c1_date": "2027-06-13", "registration_deadline": "2027-05-01T00:00:00Z"}),
            rules: None,
            skill: json!({"number": "01", "name_zh": "技能", "name_en": "Skill"}),
            delegations: Vec::new(),
            entries: Vec::new(),
            experts: Vec::new(),
            scheme: None,
        }
    }

    pub fn name(mut self, name: &str) -> Self {
        self.event["name"] = json!(name);
        self
    }

    /// The event's result rules (`PUT /events/{id}/result-rules`).
    pub fn result_rules(mut self, rules: Value) -> Self {
        self.rules = Some(rules);
        self
    }

    /// More of the skill's settings (`{"anonymous": true, "workstation_count": 10}`).
    pub fn skill_settings(mut self, settings: Value) -> Self {
        for (k, v) in settings.as_object().expect("settings are an object") {
            self.skill[k] = v.clone();
        }
        self
    }

    pub fn delegations(mut self, codes: &[&str]) -> Self {
        self.delegations.extend(codes.iter().map(|c| c.to_string()));
        self
    }

    /// A confirmed entry in the skill for each of these delegations, with one competitor (选手,
    /// born 2005-05-05).
    pub fn entries(mut self, codes: &[&str]) -> Self {
        self.entries.extend(codes.iter().map(|c| c.to_string()));
        self
    }

    /// An expert of the skill from delegation `code` (`position`: "expert" or "chief_expert"),
    /// with an active account (password `helpers::PASSWORD`) made first.
    pub fn expert(mut self, email: &str, code: &str, position: &str) -> Self {
        self.experts.push((email.into(), code.into(), position.into(), true));
        self
    }

    /// An expert whose account the test made already.
    pub fn registered_expert(mut self, email: &str, code: &str, position: &str) -> Self {
        self.experts.push((email.into(), code.into(), position.into(), false));
        self
    }

    /// The skill's marking scheme, saved (and frozen if `frozen`).
    pub fn scheme(mut self, scheme: Value, frozen: bool) -> Self {
        self.scheme = Some((scheme, frozen));
        self
    }

    pub async fn build(self) -> Event {
        let (app, admin) = (self.app, self.admin.as_str());
        let created = async |path: String, body: Value| -> String {
            let made = ok(app.call(Method::POST, &path, Some(admin), Some(body)).await, 201).await;
            made["id"].as_str().expect("an id").to_string()
        };
        let id = created("/api/v1/events".into(), self.event).await;
        if let Some(rules) = self.rules {
            let path = format!("/api/v1/events/{id}/result-rules");
            ok(app.call(Method::PUT, &path, Some(admin), Some(json!({"rules": rules, "version": 0}))).await, 200).await;
        }
        let skill = created(format!("/api/v1/events/{id}/skills"), self.skill).await;
        let mut delegations = HashMap::new();
        for code in &self.delegations {
            let body = json!({"code": code, "name_zh": code, "name_en": code});
            delegations.insert(code.clone(), created(format!("/api/v1/events/{id}/delegations"), body).await);
        }
        let (mut entries, mut competitors) = (Vec::new(), HashMap::new());
        for (i, code) in self.entries.iter().enumerate() {
            let body = json!({"skill_id": skill, "delegation_id": delegations[code]});
            let entry = created(format!("/api/v1/events/{id}/entries"), body).await;
            let person = json!({"name": "选手", "gender": "男", "birth_date": "2005-05-05",
                "id_number": format!("11010120050505{i:04}")});
            competitors.insert(code.clone(), created(format!("/api/v1/entries/{entry}/competitors"), person).await);
            let status = format!("/api/v1/entries/{entry}/status");
            let confirm = json!({"status": "confirmed", "version": 1});
            ok(app.call(Method::POST, &status, Some(admin), Some(confirm)).await, 200).await;
            entries.push((code.clone(), entry));
        }
        let mut experts = Vec::new();
        for (email, code, position, new_account) in self.experts {
            if new_account {
                app.user(&email, &[]).await;
            }
            let body = json!({"email": email, "display_name": email, "skill_id": skill,
                "delegation_id": delegations[&code], "position": position});
            let path = format!("/api/v1/events/{id}/experts");
            let made = ok(app.call(Method::POST, &path, Some(admin), Some(body)).await, 201).await;
            experts.push((email, made["expert"]["user_id"].as_str().expect("a user id").to_string()));
        }
        if let Some((scheme, frozen)) = self.scheme {
            let path = format!("/api/v1/skills/{skill}/scheme");
            ok(app.call(Method::PUT, &path, Some(admin), Some(json!({"version": 0, "scheme": scheme}))).await, 200)
                .await;
            if frozen {
                let freeze = format!("{path}/freeze");
                ok(app.call(Method::POST, &freeze, Some(admin), Some(json!({"version": 1}))).await, 200).await;
            }
        }
        Event { id, skill, delegations, entries, competitors, experts }
    }
}
