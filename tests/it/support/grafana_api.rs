//! A stateful Grafana fixture for `maintain`'s tests (dashboard backup and restore, maintenance
//! annotations), on the recording [`FixtureServer`]: folders, dashboards by UID with their
//! version and folder, and annotations, answered with the bodies of Grafana's legacy HTTP API
//! (`/api/*`, Grafana 11), so that a backup followed by a restore can be compared dashboard for
//! dashboard and a deletion is visible.
//!
//! Served:
//! - `GET /api/health` (`{"database", "version", "commit"}`; 503 with `database: failing` after
//!   [`GrafanaApi::set_database_failing`]);
//! - `GET /api/search` (`type=dash-db|dash-folder`, `query` in the title, `tag`,
//!   `folderUIDs`, `dashboardUIDs`, `limit` (default 1000; above 5000 answers 422) and `page`,
//!   sorted by title, folders first);
//! - `GET /api/dashboards/uid/{uid}` (`{"dashboard": {..., "id", "uid", "title", "version"},
//!   "meta": {"folderUid", "folderTitle", "slug", "url", "version", ...}}`; 404 `Dashboard not
//!   found`), `DELETE /api/dashboards/uid/{uid}` (`{"title", "message", "id"}`; its
//!   annotations go with it);
//! - `POST /api/dashboards/db` (`dashboard`, `folderUid`, `overwrite`, `message`): a new UID
//!   creates version 1; an existing one is updated to version + 1 when the model's `version` is
//!   the stored one or `overwrite` is set, else 412 `version-mismatch`; another dashboard with
//!   the same title in the folder is 412 `name-exists` without `overwrite` and is replaced (its
//!   UID kept) with it, as Grafana's save service does; an empty title, a bad UID or an unknown
//!   folder is 400. Answers `{"id", "uid", "url", "status": "success", "version", "slug",
//!   "folderUid"}`;
//! - `GET /api/folders`, `GET /api/folders/{uid}`, `POST /api/folders`;
//! - `POST /api/annotations` (`{"message": "Annotation added", "id"}`; an empty `text` or an
//!   unknown `dashboardUID` is 400), `PATCH /api/annotations/{id}` (only what is sent and
//!   set: `time` and `timeEnd` above 0, a non-empty `text`, `tags`), `PUT` and `DELETE` of one,
//!   and `GET /api/annotations` (`from`, `to`, `dashboardUID`, `tags` with `matchAny`, `type`,
//!   `limit` default 100; newest first).
//!
//! Errors are Grafana's `{"message"[, "status"]}`. Not modelled: authentication, permissions
//! and organisations, provisioned and library panels, dashboard versions history, the
//! `/apis/dashboard.grafana.app` API, moving by `folderId`, alerting. Timestamps are real ones.
//! Its own tests are in `tests/it/harness_selftest.rs`.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use jiff::Timestamp;
use serde_json::{Value, json};

use crate::support::midway::Midway;
use crate::support::{FixtureServer, RecordedRequest, Response, Route};

const VERSION: &str = "11.3.0";
const COMMIT: &str = "d9455ff7db73b694db7d412e49a68bec767f2b5a";

/// A dashboard to seed: `model` holds the rest of the JSON model (panels, tags, ...); its
/// `uid`, `title` and `version` are set from the seed's.
#[derive(Clone, Debug, PartialEq)]
pub struct DashboardSeed {
    pub uid: String,
    pub title: String,
    pub folder_uid: Option<String>,
    pub version: i64,
    pub model: Value,
}

impl DashboardSeed {
    /// Version 1, in the root folder, with an empty model.
    pub fn new(uid: &str, title: &str) -> DashboardSeed {
        DashboardSeed {
            uid: uid.to_string(),
            title: title.to_string(),
            folder_uid: None,
            version: 1,
            model: json!({"schemaVersion": 39, "panels": [], "tags": []}),
        }
    }

    pub fn in_folder(mut self, folder_uid: &str) -> DashboardSeed {
        self.folder_uid = Some(folder_uid.to_string());
        self
    }

    pub fn version(mut self, version: i64) -> DashboardSeed {
        self.version = version;
        self
    }

    pub fn model(mut self, model: Value) -> DashboardSeed {
        self.model = model;
        self
    }
}

/// A dashboard as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredDashboard {
    pub id: i64,
    pub uid: String,
    pub version: i64,
    pub folder_uid: Option<String>,
    /// The model as `GET /api/dashboards/uid/{uid}` shows it (with `id`, `uid`, `version`).
    pub model: Value,
    /// The `message` of the save that made this version.
    pub message: String,
}

#[derive(Clone, Debug)]
struct Folder {
    id: i64,
    title: String,
}

#[derive(Default)]
struct Store {
    dashboards: BTreeMap<String, StoredDashboard>,
    folders: BTreeMap<String, Folder>,
    annotations: BTreeMap<i64, Value>,
    next_id: i64,
    next_annotation: i64,
    failing: bool,
}

impl Store {
    fn id(&mut self) -> i64 {
        self.next_id += 1;
        self.next_id
    }

    fn folder(&mut self, uid: &str, title: &str) {
        if !self.folders.contains_key(uid) {
            let id = self.id();
            self.folders.insert(
                uid.to_string(),
                Folder {
                    id,
                    title: title.to_string(),
                },
            );
        }
    }

    fn seed(&mut self, seed: DashboardSeed) {
        if let Some(f) = &seed.folder_uid {
            self.folder(f, f);
        }
        let id = self
            .dashboards
            .get(&seed.uid)
            .map(|d| d.id)
            .unwrap_or_else(|| self.id());
        let mut model = if seed.model.is_object() {
            seed.model
        } else {
            json!({})
        };
        model["id"] = json!(id);
        model["uid"] = json!(seed.uid);
        model["title"] = json!(seed.title);
        model["version"] = json!(seed.version);
        self.dashboards.insert(
            seed.uid.clone(),
            StoredDashboard {
                id,
                uid: seed.uid,
                version: seed.version,
                folder_uid: seed.folder_uid,
                model,
                message: String::new(),
            },
        );
    }
}

pub struct GrafanaApi {
    pub server: FixtureServer,
    store: Arc<Mutex<Store>>,
    /// Faults part way through a run (`midway.rs`): Grafana's 500 body.
    pub midway: Midway,
}

impl GrafanaApi {
    /// A Grafana holding `folders` (`(uid, title)`) and `dashboards`; a dashboard's folder that
    /// is not in `folders` is created with its UID as title.
    pub fn start(folders: Vec<(String, String)>, dashboards: Vec<DashboardSeed>) -> GrafanaApi {
        let mut store = Store::default();
        for (uid, title) in folders {
            store.folder(&uid, &title);
        }
        for d in dashboards {
            store.seed(d);
        }
        let store = Arc::new(Mutex::new(store));
        let s = store.clone();
        let midway = Midway::default();
        let m = midway.clone();
        let server = FixtureServer::start(vec![Route::new("*", "/*").respond_with(move |req| {
            if let Some(fail) = m.check(req, false, || {
                Response::json(500, &json!({"message": "Internal server error"}))
            }) {
                return fail;
            }
            handle(&mut s.lock().unwrap_or_else(|e| e.into_inner()), req)
        })]);
        GrafanaApi {
            server,
            store,
            midway,
        }
    }

    pub fn url(&self) -> String {
        self.server.url()
    }

    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.server.requests()
    }

    /// `METHOD path` of every request that is not a `GET`, in order.
    pub fn writes(&self) -> Vec<String> {
        self.requests()
            .iter()
            .filter(|r| r.method != "GET")
            .map(|r| format!("{} {}", r.method, r.path))
            .collect()
    }

    /// UID → model without what Grafana sets on every save (`id`, `version`): what must be equal
    /// after a backup and a restore.
    pub fn dashboards(&self) -> BTreeMap<String, Value> {
        self.store()
            .dashboards
            .iter()
            .map(|(uid, d)| {
                let mut m = d.model.clone();
                if let Some(o) = m.as_object_mut() {
                    o.remove("id");
                    o.remove("version");
                }
                (uid.clone(), m)
            })
            .collect()
    }

    /// One dashboard as stored, with its version and folder.
    pub fn dashboard(&self, uid: &str) -> Option<StoredDashboard> {
        self.store().dashboards.get(uid).cloned()
    }

    /// Folder UID → title.
    pub fn folders(&self) -> BTreeMap<String, String> {
        self.store()
            .folders
            .iter()
            .map(|(uid, f)| (uid.clone(), f.title.clone()))
            .collect()
    }

    /// Every annotation as `GET /api/annotations` shows it, by ID.
    pub fn annotations(&self) -> Vec<Value> {
        self.store().annotations.values().cloned().collect()
    }

    /// Create or replace a dashboard as another user would (the version as given).
    pub fn put_dashboard(&self, seed: DashboardSeed) {
        self.store().seed(seed);
    }

    /// Make `/api/health` answer 503 `database: failing` (or `ok` again).
    pub fn set_database_failing(&self, failing: bool) {
        self.store().failing = failing;
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }
}

// ---------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------

fn message(code: u16, text: &str) -> Response {
    Response::json(code, &json!({"message": text}))
}

fn with_status(code: u16, status: &str, text: &str) -> Response {
    Response::json(code, &json!({"message": text, "status": status}))
}

fn now_ms() -> i64 {
    Timestamp::now().as_millisecond()
}

fn now_text() -> String {
    Timestamp::now().strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Grafana's `slugify`: lower case, runs of anything but letters and digits as one `-`.
fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.to_lowercase().chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

fn body(req: &RecordedRequest) -> Option<Value> {
    serde_json::from_slice(&req.body).ok()
}

fn handle(store: &mut Store, req: &RecordedRequest) -> Response {
    let segs: Vec<&str> = req.path.split('/').filter(|s| !s.is_empty()).collect();
    match (req.method.as_str(), segs.as_slice()) {
        ("GET" | "HEAD", ["api", "health"]) => {
            let db = if store.failing { "failing" } else { "ok" };
            Response::json(
                if store.failing { 503 } else { 200 },
                &json!({"database": db, "version": VERSION, "commit": COMMIT}),
            )
        }
        ("GET", ["api", "search"]) => search(store, req),
        ("GET", ["api", "dashboards", "uid", uid]) => get_dashboard(store, uid),
        ("DELETE", ["api", "dashboards", "uid", uid]) => delete_dashboard(store, uid),
        ("POST", ["api", "dashboards", "db"]) => save_dashboard(store, req),
        ("GET", ["api", "folders"]) => Response::json(
            200,
            &json!(
                store
                    .folders
                    .iter()
                    .map(|(uid, f)| json!({"id": f.id, "uid": uid, "title": f.title}))
                    .collect::<Vec<_>>()
            ),
        ),
        ("GET", ["api", "folders", uid]) => match store.folders.get(*uid) {
            Some(f) => Response::json(200, &folder_json(uid, f)),
            None => message(404, "folder not found"),
        },
        ("POST", ["api", "folders"]) => create_folder(store, req),
        ("POST", ["api", "annotations"]) => add_annotation(store, req),
        ("GET", ["api", "annotations"]) => list_annotations(store, req),
        (m @ ("PATCH" | "PUT" | "DELETE"), ["api", "annotations", id]) => {
            let Ok(id) = id.parse::<i64>() else {
                return message(400, "annotationId is invalid");
            };
            update_annotation(store, req, m, id)
        }
        _ => message(404, "Not found"),
    }
}

// ---------------------------------------------------------------------------------------------
// Folders and search
// ---------------------------------------------------------------------------------------------

fn folder_url(uid: &str, title: &str) -> String {
    format!("/dashboards/f/{uid}/{}", slug(title))
}

fn folder_json(uid: &str, f: &Folder) -> Value {
    json!({"id": f.id, "uid": uid, "orgId": 1, "title": f.title, "url": folder_url(uid, &f.title),
           "hasAcl": false, "canSave": true, "canEdit": true, "canAdmin": true, "canDelete": true,
           "createdBy": "admin", "created": now_text(), "updatedBy": "admin",
           "updated": now_text(), "version": 1})
}

fn create_folder(store: &mut Store, req: &RecordedRequest) -> Response {
    let Some(b) = body(req) else {
        return message(400, "bad request data");
    };
    let Some(title) = b["title"].as_str().filter(|t| !t.is_empty()) else {
        return message(400, "folder title cannot be empty");
    };
    if store.folders.values().any(|f| f.title == title) {
        return message(409, "a folder with the same name already exists");
    }
    let uid = match b["uid"].as_str() {
        Some(u) if store.folders.contains_key(u) || store.dashboards.contains_key(u) => {
            return message(
                409,
                "a folder or dashboard with the same uid already exists",
            );
        }
        Some(u) => u.to_string(),
        None => format!("f{:012x}", store.next_id + 1),
    };
    store.folder(&uid, title);
    Response::json(200, &folder_json(&uid, &store.folders[&uid]))
}

/// Every value of a repeated query parameter (`tag=a&tag=b`), and comma lists within.
fn params(req: &RecordedRequest, name: &str) -> Vec<String> {
    req.query_pairs()
        .into_iter()
        .filter(|(k, _)| k == name)
        .flat_map(|(_, v)| {
            v.split(',')
                .map(str::to_string)
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
        })
        .collect()
}

fn tags_of(model: &Value) -> Vec<String> {
    model["tags"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|t| t.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn search(store: &Store, req: &RecordedRequest) -> Response {
    let limit: usize = match req.query_param("limit").map(|l| l.parse::<usize>()) {
        None => 1000,
        Some(Ok(0)) => 1000,
        Some(Ok(l)) if l > 5000 => {
            return message(
                422,
                "Limit is above maximum allowed (5000), use page parameter to access hits beyond limit",
            );
        }
        Some(Ok(l)) => l,
        Some(Err(_)) => return message(400, "limit is invalid"),
    };
    let page: usize = req
        .query_param("page")
        .and_then(|p| p.parse().ok())
        .filter(|p| *p > 0)
        .unwrap_or(1);
    let kind = req.query_param("type").unwrap_or_default();
    let query = req.query_param("query").unwrap_or_default().to_lowercase();
    let tags = params(req, "tag");
    let folders = params(req, "folderUIDs");
    let uids = params(req, "dashboardUIDs");
    let mut hits: Vec<(bool, String, Value)> = Vec::new();
    if kind.is_empty() || kind == "dash-folder" {
        for (uid, f) in &store.folders {
            if !f.title.to_lowercase().contains(&query)
                || !tags.is_empty()
                || (!uids.is_empty() && !uids.contains(uid))
            {
                continue;
            }
            hits.push((
                true,
                f.title.to_lowercase(),
                json!({"id": f.id, "uid": uid, "orgId": 1, "title": f.title,
                       "uri": format!("db/{}", slug(&f.title)), "url": folder_url(uid, &f.title),
                       "slug": "", "type": "dash-folder", "tags": [], "isStarred": false,
                       "sortMeta": 0}),
            ));
        }
    }
    if kind.is_empty() || kind == "dash-db" {
        for (uid, d) in &store.dashboards {
            let title = d.model["title"].as_str().unwrap_or("");
            let dtags = tags_of(&d.model);
            let folder = d.folder_uid.clone().unwrap_or_default();
            if !title.to_lowercase().contains(&query)
                || !tags.iter().all(|t| dtags.contains(t))
                || (!folders.is_empty() && !folders.contains(&folder))
                || (!uids.is_empty() && !uids.contains(uid))
            {
                continue;
            }
            let mut hit = json!({"id": d.id, "uid": uid, "orgId": 1, "title": title,
                                 "uri": format!("db/{}", slug(title)),
                                 "url": format!("/d/{uid}/{}", slug(title)), "slug": "",
                                 "type": "dash-db", "tags": dtags, "isStarred": false,
                                 "sortMeta": 0});
            if let Some(f) = d
                .folder_uid
                .as_ref()
                .and_then(|f| store.folders.get(f).map(|x| (f, x)))
            {
                hit["folderId"] = json!(f.1.id);
                hit["folderUid"] = json!(f.0);
                hit["folderTitle"] = json!(f.1.title);
                hit["folderUrl"] = json!(folder_url(f.0, &f.1.title));
            }
            hits.push((false, title.to_lowercase(), hit));
        }
    }
    hits.sort_by(|a, b| (!a.0, &a.1).cmp(&(!b.0, &b.1)));
    let page: Vec<Value> = hits
        .into_iter()
        .skip((page - 1) * limit)
        .take(limit)
        .map(|(_, _, h)| h)
        .collect();
    Response::json(200, &Value::Array(page))
}

// ---------------------------------------------------------------------------------------------
// Dashboards
// ---------------------------------------------------------------------------------------------

fn get_dashboard(store: &Store, uid: &str) -> Response {
    let Some(d) = store.dashboards.get(uid) else {
        return message(404, "Dashboard not found");
    };
    let title = d.model["title"].as_str().unwrap_or("");
    let folder = d
        .folder_uid
        .as_ref()
        .and_then(|f| store.folders.get(f).map(|x| (f, x)));
    let meta = json!({
        "type": "db", "canSave": true, "canEdit": true, "canAdmin": true, "canStar": true,
        "canDelete": true, "slug": slug(title), "url": format!("/d/{uid}/{}", slug(title)),
        "expires": "0001-01-01T00:00:00Z", "created": now_text(), "updated": now_text(),
        "updatedBy": "admin", "createdBy": "admin", "version": d.version, "hasAcl": false,
        "isFolder": false,
        "folderId": folder.map_or(0, |f| f.1.id),
        "folderUid": folder.map_or(String::new(), |f| f.0.clone()),
        "folderTitle": folder.map_or("General".to_string(), |f| f.1.title.clone()),
        "folderUrl": folder.map_or(String::new(), |f| folder_url(f.0, &f.1.title)),
        "provisioned": false, "provisionedExternalId": "",
        "annotationsPermissions": {
            "dashboard": {"canAdd": true, "canEdit": true, "canDelete": true},
            "organization": {"canAdd": true, "canEdit": true, "canDelete": true}
        }
    });
    Response::json(200, &json!({"dashboard": d.model, "meta": meta}))
}

fn delete_dashboard(store: &mut Store, uid: &str) -> Response {
    let Some(d) = store.dashboards.remove(uid) else {
        return message(404, "Dashboard not found");
    };
    store
        .annotations
        .retain(|_, a| a["dashboardUID"].as_str() != Some(uid));
    let title = d.model["title"].as_str().unwrap_or("").to_string();
    Response::json(
        200,
        &json!({"title": title, "message": format!("Dashboard {title} deleted"), "id": d.id}),
    )
}

fn save_dashboard(store: &mut Store, req: &RecordedRequest) -> Response {
    let Some(b) = body(req).filter(|b| b["dashboard"].is_object()) else {
        return message(400, "bad request data");
    };
    let mut model = b["dashboard"].clone();
    let overwrite = b["overwrite"].as_bool().unwrap_or(false);
    let title = model["title"].as_str().unwrap_or("").trim().to_string();
    if title.is_empty() {
        return with_status(400, "empty-name", "Dashboard title cannot be empty");
    }
    let folder_uid = b["folderUid"]
        .as_str()
        .filter(|f| !f.is_empty())
        .map(str::to_string);
    if let Some(f) = &folder_uid
        && !store.folders.contains_key(f)
    {
        return message(400, "folder not found");
    }
    let mut uid = match model["uid"].as_str().filter(|u| !u.is_empty()) {
        Some(u) if u.len() > 40 => return message(400, "uid too long, max 40 characters"),
        Some(u)
            if !u
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') =>
        {
            return message(400, "uid contains illegal characters");
        }
        Some(u) => u.to_string(),
        None => format!("d{:013x}", store.next_id + 1),
    };
    let sent_version = model["version"].as_i64().unwrap_or(0);
    let sent_id = model["id"].as_i64().filter(|i| *i > 0);
    if let Some(existing) = store.dashboards.get(&uid) {
        if sent_id.is_some_and(|i| i != existing.id) {
            return with_status(
                400,
                "uid-exists",
                "A dashboard with the same uid already exists",
            );
        }
        if sent_version != existing.version && !overwrite {
            return with_status(
                412,
                "version-mismatch",
                "The dashboard has been changed by someone else",
            );
        }
    }
    // Another dashboard with this title in the same folder: refused, or replaced with
    // `overwrite` (the saved one then takes its UID).
    if let Some(other) = store
        .dashboards
        .values()
        .find(|d| {
            d.uid != uid
                && d.folder_uid == folder_uid
                && d.model["title"]
                    .as_str()
                    .is_some_and(|t| t.eq_ignore_ascii_case(&title))
        })
        .map(|d| d.uid.clone())
    {
        if !overwrite {
            return with_status(
                412,
                "name-exists",
                "A dashboard with the same name in the folder already exists",
            );
        }
        if !store.dashboards.contains_key(&uid) {
            uid = other;
        } else {
            store.dashboards.remove(&other);
        }
    }
    let (id, version) = match store.dashboards.get(&uid) {
        Some(d) => (d.id, d.version + 1),
        None => (store.id(), 1),
    };
    model["id"] = json!(id);
    model["uid"] = json!(uid);
    model["title"] = json!(title);
    model["version"] = json!(version);
    store.dashboards.insert(
        uid.clone(),
        StoredDashboard {
            id,
            uid: uid.clone(),
            version,
            folder_uid: folder_uid.clone(),
            model,
            message: b["message"].as_str().unwrap_or("").to_string(),
        },
    );
    let mut answer = json!({"id": id, "uid": uid, "url": format!("/d/{uid}/{}", slug(&title)),
                            "status": "success", "version": version, "slug": slug(&title)});
    if let Some(f) = folder_uid {
        answer["folderUid"] = json!(f);
    }
    Response::json(200, &answer)
}

// ---------------------------------------------------------------------------------------------
// Annotations
// ---------------------------------------------------------------------------------------------

fn add_annotation(store: &mut Store, req: &RecordedRequest) -> Response {
    let Some(b) = body(req).filter(Value::is_object) else {
        return message(400, "bad request data");
    };
    if b["text"].as_str().unwrap_or("").is_empty() {
        return message(400, "Failed to save annotation");
    }
    let dashboard_uid = b["dashboardUID"]
        .as_str()
        .or_else(|| b["dashboardUid"].as_str())
        .filter(|u| !u.is_empty());
    let dashboard_id = match dashboard_uid {
        Some(uid) => match store.dashboards.get(uid) {
            Some(d) => d.id,
            None => return message(400, "Invalid dashboard UID in annotation request"),
        },
        None => b["dashboardId"].as_i64().unwrap_or(0),
    };
    let time = b["time"].as_i64().filter(|t| *t > 0).unwrap_or_else(now_ms);
    let time_end = b["timeEnd"].as_i64().filter(|t| *t > 0).unwrap_or(time);
    store.next_annotation += 1;
    let id = store.next_annotation;
    let now = now_ms();
    store.annotations.insert(
        id,
        json!({"id": id, "alertId": 0, "alertName": "", "dashboardId": dashboard_id,
               "dashboardUID": dashboard_uid, "panelId": b["panelId"].as_i64().unwrap_or(0),
               "userId": 1, "newState": "", "prevState": "", "created": now, "updated": now,
               "time": time, "timeEnd": time_end, "text": b["text"],
               "tags": b["tags"].as_array().cloned().unwrap_or_default(),
               "login": "admin", "email": "admin@localhost",
               "avatarUrl": "/avatar/46d229b033af06a191ff2267bca9ae56", "data": {}}),
    );
    Response::json(200, &json!({"message": "Annotation added", "id": id}))
}

fn update_annotation(store: &mut Store, req: &RecordedRequest, method: &str, id: i64) -> Response {
    if !store.annotations.contains_key(&id) {
        return message(404, "Annotation not found");
    }
    if method == "DELETE" {
        store.annotations.remove(&id);
        return message(200, "Annotation deleted");
    }
    let Some(b) = body(req).filter(Value::is_object) else {
        return message(400, "bad request data");
    };
    let a = store.annotations.get_mut(&id).expect("checked");
    if method == "PUT" {
        if b["text"].as_str().unwrap_or("").is_empty() {
            return message(400, "Failed to update annotation");
        }
        let time = b["time"]
            .as_i64()
            .filter(|t| *t > 0)
            .unwrap_or(a["time"].as_i64().unwrap_or(0));
        a["time"] = json!(time);
        a["timeEnd"] = json!(b["timeEnd"].as_i64().filter(|t| *t > 0).unwrap_or(time));
        a["text"] = b["text"].clone();
        a["tags"] = json!(b["tags"].as_array().cloned().unwrap_or_default());
        a["updated"] = json!(now_ms());
        return message(200, "Annotation updated");
    }
    if let Some(t) = b["time"].as_i64().filter(|t| *t > 0) {
        a["time"] = json!(t);
    }
    if let Some(t) = b["timeEnd"].as_i64().filter(|t| *t > 0) {
        a["timeEnd"] = json!(t);
    }
    if let Some(t) = b["text"].as_str().filter(|t| !t.is_empty()) {
        a["text"] = json!(t);
    }
    if let Some(tags) = b["tags"].as_array() {
        a["tags"] = json!(tags);
    }
    a["updated"] = json!(now_ms());
    message(200, "Annotation patched")
}

fn list_annotations(store: &Store, req: &RecordedRequest) -> Response {
    let num = |k: &str| req.query_param(k).and_then(|v| v.parse::<i64>().ok());
    let from = num("from");
    let to = num("to");
    let limit = num("limit").filter(|l| *l > 0).unwrap_or(100) as usize;
    let tags = params(req, "tags");
    let match_any = req.query_param("matchAny").as_deref() == Some("true");
    let dashboard_uid = req.query_param("dashboardUID");
    let dashboard_id = num("dashboardId");
    if req.query_param("type").as_deref() == Some("alert") {
        return Response::json(200, &json!([]));
    }
    let mut out: Vec<&Value> = store
        .annotations
        .values()
        .filter(|a| {
            let time = a["time"].as_i64().unwrap_or(0);
            let end = a["timeEnd"].as_i64().unwrap_or(time);
            let atags: Vec<&str> = a["tags"]
                .as_array()
                .map(|t| t.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            to.is_none_or(|to| time <= to)
                && from.is_none_or(|from| end >= from)
                && dashboard_uid
                    .as_deref()
                    .is_none_or(|u| a["dashboardUID"].as_str() == Some(u))
                && dashboard_id.is_none_or(|d| a["dashboardId"].as_i64() == Some(d))
                && (tags.is_empty()
                    || if match_any {
                        tags.iter().any(|t| atags.contains(&t.as_str()))
                    } else {
                        tags.iter().all(|t| atags.contains(&t.as_str()))
                    })
        })
        .collect();
    out.sort_by(|a, b| {
        (b["time"].as_i64(), b["id"].as_i64()).cmp(&(a["time"].as_i64(), a["id"].as_i64()))
    });
    out.truncate(limit);
    Response::json(200, &json!(out))
}
