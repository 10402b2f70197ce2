//! What the suite's tests share: the real content, and a fresh database per test.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use sofia_bot::assistant::Assistant;
use sofia_bot::engine::{Flows, Settings, load_flows};
use sofia_bot::i18n::Locales;
use sofia_bot::store::{Durability, Store};

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The shipped flows, loaded once for the whole suite.
pub fn flows() -> &'static Flows {
    static FLOWS: OnceLock<Flows> = OnceLock::new();
    FLOWS.get_or_init(|| {
        load_flows(&root().join("dialogs"), Settings::default())
            .unwrap_or_else(|e| panic!("dialogs do not load: {e:?}"))
    })
}

/// The shipped text, loaded once for the whole suite.
pub fn locales() -> &'static Locales {
    static LOCALES: OnceLock<Locales> = OnceLock::new();
    LOCALES
        .get_or_init(|| Locales::load(&root().join("locales")).unwrap_or_else(|e| panic!("locales do not load: {e:?}")))
}

/// A database file in its own temporary folder, removed when the guard drops.
pub struct TempDb {
    pub dir: tempfile::TempDir,
}

impl TempDb {
    pub fn new() -> TempDb {
        TempDb { dir: tempfile::tempdir().expect("a temporary folder") }
    }

    pub fn path(&self) -> PathBuf {
        self.dir.path().join("test.db")
    }
}

/// The real assistant over a fresh database file.
pub async fn assistant(db: &TempDb) -> Assistant {
    assistant_on(Store::open(&db.path(), Durability::Full).await.expect("the store opens"))
}

/// The real assistant over a store opened by the test (`#[sqlx::test]`'s database).
pub fn assistant_on(store: Store) -> Assistant {
    let flows = load_flows(&root().join("dialogs"), Settings::default()).expect("dialogs load");
    let locales = Locales::load(&root().join("locales")).expect("locales load");
    Assistant { flows, locales, store, cases: Default::default(), privacy: Default::default() }
}
