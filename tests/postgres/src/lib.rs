//! A throwaway PostgreSQL cluster for tests: Debian's server binaries, a data folder in a
//! temporary directory, a free port on 127.0.0.1, and `scram-sha-256` password logins, so a
//! wrong password is refused for real. Stopped (immediately) when dropped.
//!
//! Run as root (CI), the server runs as the `postgres` user through `runuser`, since
//! PostgreSQL refuses to run as root.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test support: a failure is a failed test

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The superuser every cluster has.
pub const SUPERUSER: &str = "postgres";

/// A running cluster.
pub struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
    password: String,
}

impl Cluster {
    /// Starts a cluster whose superuser logs in with `password` (over TCP, scram-sha-256).
    pub fn start(password: &str) -> Cluster {
        Cluster::start_with(password, false)
    }

    /// Like [`Cluster::start`], but TLS only: the server's certificate is signed by
    /// [`ca_certificate`], and a login without TLS is refused.
    pub fn start_tls_only(password: &str) -> Cluster {
        Cluster::start_with(password, true)
    }

    fn start_with(password: &str, tls: bool) -> Cluster {
        let bin = bin_dir();
        let dir = tempfile::tempdir().unwrap();
        let pwfile = dir.path().join("pwfile");
        std::fs::write(&pwfile, format!("{password}\n")).unwrap();
        if tls {
            for file in ["server.pem", "server.key"] {
                std::fs::copy(tls_dir().join(file), dir.path().join(file)).unwrap();
            }
            // PostgreSQL refuses a key that others may read.
            set_mode(&dir.path().join("server.key"), 0o600);
        }
        if as_root() {
            let ok = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(dir.path())
                .status()
                .unwrap();
            assert!(ok.success());
        }
        let data = dir.path().join("data");
        let data = data.to_str().unwrap();
        run(
            &bin.join("initdb"),
            &[
                "-D",
                data,
                "-U",
                SUPERUSER,
                "--auth=scram-sha-256",
                "--pwfile",
                pwfile.to_str().unwrap(),
                "-E",
                "UTF8",
                "--locale=C",
            ],
        );
        let port = free_port();
        // The socket lives in the temporary folder: no clash with a system server, and no
        // need for /var/run/postgresql.
        let mut options = format!(
            "-p {port} -c listen_addresses=127.0.0.1 -k {} -c fsync=off",
            dir.path().display()
        );
        if tls {
            options.push_str(&format!(
                " -c ssl=on -c ssl_cert_file={0}/server.pem -c ssl_key_file={0}/server.key",
                dir.path().display()
            ));
            // TCP logins only over TLS.
            std::fs::write(
                dir.path().join("data").join("pg_hba.conf"),
                "local all all scram-sha-256\nhostssl all all 127.0.0.1/32 scram-sha-256\n",
            )
            .unwrap();
        }
        let log = dir.path().join("log");
        run(
            &bin.join("pg_ctl"),
            &[
                "-D",
                data,
                "-l",
                log.to_str().unwrap(),
                "-o",
                &options,
                "-w",
                "start",
            ],
        );
        Cluster {
            dir,
            bin,
            port,
            password: password.to_owned(),
        }
    }

    /// The TCP port on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `postgres://postgres@127.0.0.1:PORT/postgres` (no password: that goes to the keyring).
    pub fn url(&self) -> String {
        format!("postgres://{SUPERUSER}@127.0.0.1:{}/postgres", self.port)
    }

    /// Runs SQL (or a psql `\` command) as the superuser; the output unaligned, without
    /// headers, or the error text.
    pub fn psql(&self, sql: &str) -> Result<String, String> {
        let output = Command::new(self.bin.join("psql"))
            .env("PGPASSWORD", &self.password)
            .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"])
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string()])
            .args(["-U", SUPERUSER, "-d", "postgres", "-c", sql])
            .output()
            .unwrap();
        if output.status.success() {
            Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
        } else {
            Err(String::from_utf8_lossy(&output.stderr).into_owned())
        }
    }

    /// Like [`Cluster::psql`], panicking with the server's error.
    pub fn sql(&self, sql: &str) -> String {
        self.psql(sql).unwrap_or_else(|e| panic!("{sql}: {e}"))
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.dir.path().join("data");
        // Immediate: the data is thrown away with the folder.
        let _ = run_status(
            &self.bin.join("pg_ctl"),
            &["-D", data.to_str().unwrap(), "-m", "immediate", "stop"],
        );
    }
}

/// The certificate authority that signed the TLS cluster's certificate (for 127.0.0.1 and
/// localhost, valid until 2126). Its private key was thrown away once that one certificate
/// was signed; the server's key is a test fixture that protects nothing.
pub fn ca_certificate() -> PathBuf {
    tls_dir().join("ca.pem")
}

fn tls_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tls")
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(not(unix))]
fn set_mode(_: &Path, _: u32) {}

/// A port nothing listens on now (the listener is closed before it is returned): a
/// server's, or an unreachable one's.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The newest installed server's binaries.
fn bin_dir() -> PathBuf {
    let versions = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL is not installed: `.ci/run` installs Debian's `postgresql` package");
    let mut dirs: Vec<PathBuf> = versions.flatten().map(|e| e.path().join("bin")).collect();
    dirs.sort();
    dirs.pop()
        .expect("no PostgreSQL version under /usr/lib/postgresql")
}

fn as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

fn command(program: &Path) -> Command {
    if as_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

fn run_status(program: &Path, args: &[&str]) -> std::io::Result<Output> {
    command(program).args(args).output()
}

fn run(program: &Path, args: &[&str]) -> Output {
    let output = run_status(program, args).expect("start a PostgreSQL program");
    assert!(
        output.status.success(),
        "{} {args:?} failed: {}",
        program.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}
