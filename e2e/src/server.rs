//! A rate-limited HTTP server on 127.0.0.1 (axum) that enforces a set of policies and writes
//! its rate-limit headers with `ratelimit-headers`' encoders.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

// The limiter and header writing of `examples/server`, shared so the example shows exactly
// what these tests run.
#[path = "../../examples/server/limiter.rs"]
mod limiter;

pub use limiter::{Counting, HeaderDialect, Limiter, ServerConfig, ServerCounts};

/// The response head for one request.
fn respond(limiter: &mut Limiter) -> Response {
    let decision = limiter.decide();
    let (status, body) = if decision.accepted {
        (StatusCode::OK, "ok\n")
    } else {
        (StatusCode::TOO_MANY_REQUESTS, "too many requests\n")
    };
    let mut map = HeaderMap::new();
    match limiter::headers(limiter.config.dialect, &decision) {
        Ok(headers) => {
            for (name, value) in headers {
                match (HeaderName::try_from(name), HeaderValue::try_from(value)) {
                    (Ok(n), Ok(v)) => {
                        map.append(n, v);
                    }
                    _ => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
                }
            }
        }
        Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
    (status, map, body).into_response()
}

async fn handle(State(limiter): State<Arc<Mutex<Limiter>>>) -> Response {
    respond(&mut limiter.lock().unwrap_or_else(|e| e.into_inner()))
}

/// A server running on 127.0.0.1 until [`RunningServer::stop`] (or drop).
pub struct RunningServer {
    /// Where it listens.
    pub addr: SocketAddr,
    limiter: Arc<Mutex<Limiter>>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl RunningServer {
    /// Binds 127.0.0.1 on a free port and serves `config` on a background task.
    pub async fn start(config: ServerConfig) -> std::io::Result<Self> {
        let limiter = Arc::new(Mutex::new(Limiter::new(config)));
        let app = Router::new()
            .route("/", get(handle))
            .with_state(Arc::clone(&limiter));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
        });
        Ok(RunningServer {
            addr,
            limiter,
            shutdown: Some(tx),
            task: Some(task),
        })
    }

    /// The URL of its one resource.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// What it has answered so far.
    pub fn counts(&self) -> ServerCounts {
        self.limiter
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .counts
    }

    /// Stops it and waits until it has.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}
