//! express-rate-limit (npm) run by node on 127.0.0.1: `node/server.js`.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// The folder of `server.js` and its `package.json` (pinned versions).
pub fn node_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("node")
}

/// Why express-rate-limit cannot run here, if it cannot: `node` is not installed. Installs
/// the pinned npm packages (`npm ci`) when they are missing.
pub fn unavailable() -> Option<String> {
    let node = std::process::Command::new("node")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    if !node.is_ok_and(|s| s.success()) {
        return Some("node is not installed".into());
    }
    let dir = node_dir();
    if !dir.join("node_modules/express-rate-limit").is_dir() {
        let npm = std::process::Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir)
            .status();
        if !npm.is_ok_and(|s| s.success()) {
            panic!("node is installed but `npm ci` failed in {}", dir.display());
        }
    }
    None
}

/// A running express-rate-limit server; stopped when dropped (its stdin closes and the
/// process is killed).
pub struct Express {
    child: Child,
    /// The port it listens on.
    pub port: u16,
}

impl Express {
    /// Starts `node server.js` with these environment variables (see `node/server.js`) and
    /// waits until it listens.
    pub async fn start(env: &[(&str, String)]) -> Result<Self, String> {
        let mut command = Command::new("node");
        command
            .arg("server.js")
            .current_dir(node_dir())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true);
        for (k, v) in env {
            command.env(k, v);
        }
        let mut child = command.spawn().map_err(|e| format!("node: {e}"))?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let line = tokio::time::timeout(Duration::from_secs(20), lines.next_line())
            .await
            .map_err(|_| "express-rate-limit did not start within 20 s".to_string())?
            .map_err(|e| e.to_string())?
            .ok_or("express-rate-limit exited before listening")?;
        let port = line
            .strip_prefix("listening ")
            .and_then(|p| p.trim().parse().ok())
            .ok_or_else(|| format!("unexpected first line from server.js: {line:?}"))?;
        Ok(Express { child, port })
    }

    /// The URL of its one resource.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// Stops the server and waits for the process to end.
    pub async fn stop(mut self) {
        // Closing stdin asks it to stop; the kill is the fallback.
        drop(self.child.stdin.take());
        if tokio::time::timeout(Duration::from_secs(5), self.child.wait())
            .await
            .is_err()
        {
            let _ = self.child.kill().await;
        }
    }
}
