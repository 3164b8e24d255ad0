//! The console's own style and script, and the vendored files of npm
//! packages it uses (with their licences beside them in `assets/vendor`),
//! embedded in the binary: nothing is loaded from elsewhere.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

struct Asset {
    name: &'static str,
    kind: &'static str,
    /// Vendored files carry their version in the name: a browser may keep
    /// them for good. Ours change with a release.
    versioned: bool,
    bytes: &'static [u8],
}

const SCRIPT: &str = "text/javascript; charset=utf-8";

const ASSETS: &[Asset] = &[
    Asset {
        name: "console.css",
        kind: "text/css; charset=utf-8",
        versioned: false,
        bytes: include_bytes!("../../../assets/console.css"),
    },
    Asset {
        name: "home.js",
        kind: SCRIPT,
        versioned: false,
        bytes: include_bytes!("../../../assets/home.js"),
    },
    Asset {
        name: "list.js",
        kind: SCRIPT,
        versioned: false,
        bytes: include_bytes!("../../../assets/list.js"),
    },
    Asset {
        name: "report.js",
        kind: SCRIPT,
        versioned: false,
        bytes: include_bytes!("../../../assets/report.js"),
    },
    Asset {
        name: "segment.js",
        kind: SCRIPT,
        versioned: false,
        bytes: include_bytes!("../../../assets/segment.js"),
    },
    Asset {
        name: "htmx-2.0.11.min.js",
        kind: SCRIPT,
        versioned: true,
        bytes: include_bytes!("../../../assets/vendor/htmx-2.0.11.min.js"),
    },
    Asset {
        name: "chart-4.6.1.umd.min.js",
        kind: SCRIPT,
        versioned: true,
        bytes: include_bytes!("../../../assets/vendor/chart-4.6.1.umd.min.js"),
    },
];

pub async fn serve(Path(file): Path<String>) -> Response {
    let Some(asset) = ASSETS.iter().find(|asset| asset.name == file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let cache = if asset.versioned {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=300"
    };
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(asset.kind)),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
        ],
        asset.bytes,
    )
        .into_response()
}
