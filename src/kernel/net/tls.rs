//! TLS clients (node:tls, https, fetch of https URLs), terminated in the
//! kernel with rustls over a connection the host made: the guest sends and
//! receives plaintext, the kernel the records. The server's certificate is
//! checked against Mozilla's roots (webpki-roots), or the `ca` the guest
//! gave (which replaces them, as Node's option does); `rejectUnauthorized:
//! false` lets the connection go on and reports why it is not authorized.
use std::io::{Read as _, Write as _};
use std::sync::{Arc, Mutex, OnceLock};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
  ClientConfig, ClientConnection, DigitallySignedStruct, RootCertStore, SignatureScheme,
};

/// Certificates one `ca` option may hold.
const MAX_CA_CERTS: usize = 256;
/// Plaintext and records rustls keeps waiting to be sent.
const BUFFER_LIMIT: usize = 256 * 1024;

/// A TLS session over a socket of the table.
pub struct Tls {
  pub conn: Mutex<ClientConnection>,
  /// Why the server's certificate is not trusted (`rejectUnauthorized:
  /// false` only): Node's code and message.
  pub unauthorized: Arc<Mutex<Option<Refusal>>>,
}

impl std::fmt::Debug for Tls {
  fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    f.write_str("Tls")
  }
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
  static P: OnceLock<Arc<rustls::crypto::CryptoProvider>> = OnceLock::new();
  P.get_or_init(|| Arc::new(rustls::crypto::ring::default_provider()))
    .clone()
}

fn default_roots() -> Arc<RootCertStore> {
  static R: OnceLock<Arc<RootCertStore>> = OnceLock::new();
  R.get_or_init(|| {
    Arc::new(RootCertStore {
      roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    })
  })
  .clone()
}

/// Why a TLS session was refused or is not authorized, as Node says it: a
/// code (`UNABLE_TO_GET_ISSUER_CERT_LOCALLY`, ...) and a message. The
/// verifier hands it through rustls as the error's source.
#[derive(Debug, Clone)]
pub struct Refusal {
  pub code: &'static str,
  pub message: String,
}

impl std::fmt::Display for Refusal {
  fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    write!(f, "{}: {}", self.code, self.message)
  }
}

impl std::error::Error for Refusal {}

fn refusal(code: &'static str, message: impl Into<String>) -> Refusal {
  Refusal {
    code,
    message: message.into(),
  }
}

/// Node's code and message for a certificate webpki refused.
fn cert_error(e: &rustls::Error, host: &str) -> Refusal {
  use rustls::CertificateError::*;
  match e {
    rustls::Error::InvalidCertificate(c) => match c {
      UnknownIssuer => refusal(
        "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
        "unable to get local issuer certificate",
      ),
      Expired | ExpiredContext { .. } => refusal("CERT_HAS_EXPIRED", "certificate has expired"),
      NotValidYet | NotValidYetContext { .. } => {
        refusal("CERT_NOT_YET_VALID", "certificate is not yet valid")
      }
      NotValidForName | NotValidForNameContext { .. } => refusal(
        "ERR_TLS_CERT_ALTNAME_INVALID",
        format!("Hostname/IP does not match certificate's altnames: Host: {host}. is not in the cert's altnames"),
      ),
      Revoked => refusal("CERT_REVOKED", "certificate revoked"),
      BadSignature => refusal("CERT_SIGNATURE_FAILURE", "certificate signature failure"),
      _ => refusal(
        "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
        "unable to verify the first certificate",
      ),
    },
    other => refusal("ERR_SSL_HANDSHAKE_FAILURE", other.to_string()),
  }
}

/// Whether `der` is a certificate that issued itself.
fn self_signed(der: &CertificateDer<'_>) -> bool {
  x509_parser::parse_x509_certificate(der)
    .map(|(_, c)| c.subject().as_raw() == c.issuer().as_raw())
    .unwrap_or(false)
}

/// Why rustls ended a session: the verifier's refusal, or its own error.
pub fn refusal_of(e: &rustls::Error) -> Refusal {
  if let rustls::Error::Other(other) = e {
    if let Some(r) = other.0.downcast_ref::<Refusal>() {
      return r.clone();
    }
  }
  refusal("ERR_SSL_HANDSHAKE_FAILURE", e.to_string())
}

/// Checks the chain with webpki and the roots, giving Node's reason when
/// it fails; `lenient` (`rejectUnauthorized: false`) keeps the reason and
/// lets the connection go on.
#[derive(Debug)]
struct Checked {
  inner: Arc<WebPkiServerVerifier>,
  host: String,
  lenient: bool,
  why: Arc<Mutex<Option<Refusal>>>,
}

impl ServerCertVerifier for Checked {
  fn verify_server_cert(
    &self,
    end_entity: &CertificateDer<'_>,
    intermediates: &[CertificateDer<'_>],
    server_name: &ServerName<'_>,
    ocsp: &[u8],
    now: UnixTime,
  ) -> Result<ServerCertVerified, rustls::Error> {
    match self
      .inner
      .verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
    {
      Ok(v) => Ok(v),
      Err(e) => {
        let why = if self_signed(end_entity) && intermediates.is_empty() {
          refusal("DEPTH_ZERO_SELF_SIGNED_CERT", "self-signed certificate")
        } else {
          cert_error(&e, &self.host)
        };
        if self.lenient {
          *self.why.lock().unwrap_or_else(|p| p.into_inner()) = Some(why);
          Ok(ServerCertVerified::assertion())
        } else {
          Err(rustls::Error::Other(rustls::OtherError(Arc::new(why))))
        }
      }
    }
  }

  fn verify_tls12_signature(
    &self,
    message: &[u8],
    cert: &CertificateDer<'_>,
    dss: &DigitallySignedStruct,
  ) -> Result<HandshakeSignatureValid, rustls::Error> {
    self.inner.verify_tls12_signature(message, cert, dss)
  }

  fn verify_tls13_signature(
    &self,
    message: &[u8],
    cert: &CertificateDer<'_>,
    dss: &DigitallySignedStruct,
  ) -> Result<HandshakeSignatureValid, rustls::Error> {
    self.inner.verify_tls13_signature(message, cert, dss)
  }

  fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
    self.inner.supported_verify_schemes()
  }
}

/// What the guest asked of the session.
pub struct Options<'a> {
  /// The name checked against the certificate (and sent as SNI unless an
  /// address).
  pub servername: &'a str,
  /// PEM certificates that replace the default roots.
  pub ca: Option<&'a str>,
  pub reject_unauthorized: bool,
  /// ALPN protocols in order of preference.
  pub alpn: Vec<Vec<u8>>,
}

/// A new client session (its handshake not started). Errors are Node's
/// (code, message).
pub fn client(opts: &Options<'_>) -> Result<Tls, Refusal> {
  let invalid = |m: String| refusal("ERR_TLS_INVALID_CONTEXT", m);
  let roots = match opts.ca {
    None => default_roots(),
    Some(pem) => {
      let mut store = RootCertStore::empty();
      for (i, cert) in CertificateDer::pem_slice_iter(pem.as_bytes()).enumerate() {
        if i >= MAX_CA_CERTS {
          return Err(invalid(format!(
            "options.ca holds more than {MAX_CA_CERTS} certificates"
          )));
        }
        let cert = cert.map_err(|e| invalid(format!("options.ca: {e:?}")))?;
        store
          .add(cert)
          .map_err(|e| invalid(format!("options.ca: {e}")))?;
      }
      Arc::new(store)
    }
  };
  let name = ServerName::try_from(opts.servername.to_string())
    .map_err(|_| invalid(format!("Invalid servername {:?}", opts.servername)))?;
  let builder = ClientConfig::builder_with_provider(provider())
    .with_safe_default_protocol_versions()
    .map_err(|e| invalid(e.to_string()))?;
  let why = Arc::new(Mutex::new(None));
  let inner = WebPkiServerVerifier::builder_with_provider(roots, provider())
    .build()
    .map_err(|e| invalid(e.to_string()))?;
  // Not dangerous: it runs webpki's checks and refuses what they refuse,
  // unless the guest asked to go on (Node's rejectUnauthorized: false).
  let mut config = builder
    .dangerous()
    .with_custom_certificate_verifier(Arc::new(Checked {
      inner,
      host: opts.servername.to_string(),
      lenient: !opts.reject_unauthorized,
      why: why.clone(),
    }))
    .with_no_client_auth();
  config.alpn_protocols = opts.alpn.clone();
  let mut conn =
    ClientConnection::new(Arc::new(config), name).map_err(|e| invalid(e.to_string()))?;
  conn.set_buffer_limit(Some(BUFFER_LIMIT));
  Ok(Tls {
    conn: Mutex::new(conn),
    unauthorized: why,
  })
}

impl Tls {
  pub fn lock(&self) -> std::sync::MutexGuard<'_, ClientConnection> {
    self.conn.lock().unwrap_or_else(|e| e.into_inner())
  }
}

/// Moves records rustls wants sent onto `tcp` as far as it takes them now:
/// the bytes sent (`Ok` also when it would block).
pub fn flush(conn: &mut ClientConnection, tcp: &tokio::net::TcpStream) -> std::io::Result<usize> {
  struct Now<'a>(&'a tokio::net::TcpStream);
  impl std::io::Write for Now<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
      self.0.try_write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
      Ok(())
    }
  }
  let mut sent = 0;
  while conn.wants_write() {
    match conn.write_tls(&mut Now(tcp)) {
      Ok(n) => sent += n,
      Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
      Err(e) => return Err(e),
    }
  }
  Ok(sent)
}

/// Feeds `records` received from the server to the session.
pub fn feed(conn: &mut ClientConnection, mut records: &[u8]) -> Result<(), rustls::Error> {
  while !records.is_empty() {
    match conn.read_tls(&mut records) {
      Ok(0) => break,
      Ok(_) => {
        conn.process_new_packets()?;
      }
      Err(e) => return Err(rustls::Error::General(e.to_string())),
    }
  }
  Ok(())
}

/// Plaintext the session has ready: `Some(0)` at the server's close_notify
/// or end of stream, `None` when it needs more records.
pub fn plaintext(conn: &mut ClientConnection, buf: &mut [u8]) -> Option<usize> {
  match conn.reader().read(buf) {
    Ok(n) => Some(n),
    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => None,
    // The peer ended the stream without close_notify: as an end.
    Err(_) => Some(0),
  }
}

/// Plaintext the session takes now (bounded by its buffer limit).
pub fn take_plaintext(conn: &mut ClientConnection, data: &[u8]) -> usize {
  conn.writer().write(data).unwrap_or(0)
}

/// `getPeerCertificate()`'s fields of the server's certificate, as JSON
/// (the guest builds Node's object from it).
pub fn peer_certificate(conn: &ClientConnection) -> Option<String> {
  use sha2::Digest;
  let der = conn.peer_certificates()?.first()?;
  let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
  let name = |n: &x509_parser::x509::X509Name<'_>| {
    let mut m = serde_json::Map::new();
    let mut put =
      |k: &str, it: &mut dyn Iterator<Item = &x509_parser::x509::AttributeTypeAndValue<'_>>| {
        if let Some(v) = it.next().and_then(|a| a.as_str().ok()) {
          m.insert(k.into(), v.into());
        }
      };
    put("C", &mut n.iter_country());
    put("ST", &mut n.iter_state_or_province());
    put("L", &mut n.iter_locality());
    put("O", &mut n.iter_organization());
    put("OU", &mut n.iter_organizational_unit());
    put("CN", &mut n.iter_common_name());
    serde_json::Value::Object(m)
  };
  let mut alt = Vec::new();
  if let Ok(Some(san)) = cert.subject_alternative_name() {
    for g in &san.value.general_names {
      match g {
        x509_parser::extensions::GeneralName::DNSName(d) => alt.push(format!("DNS:{d}")),
        x509_parser::extensions::GeneralName::IPAddress(ip) => {
          let shown = match ip.len() {
            4 => std::net::Ipv4Addr::new(ip[0], ip[1], ip[2], ip[3]).to_string(),
            16 => {
              let mut b = [0u8; 16];
              b.copy_from_slice(ip);
              std::net::Ipv6Addr::from(b).to_string().to_uppercase()
            }
            _ => continue,
          };
          alt.push(format!("IP Address:{shown}"));
        }
        _ => {}
      }
    }
  }
  let hex = |bytes: &[u8]| {
    bytes
      .iter()
      .map(|b| format!("{b:02X}"))
      .collect::<Vec<_>>()
      .join(":")
  };
  let when = |t: &x509_parser::time::ASN1Time| {
    // Node's form: `Nov 25 15:37:06 2026 GMT`.
    let d = t.to_datetime();
    const MONTHS: [&str; 12] = [
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
      "{} {:2} {:02}:{:02}:{:02} {} GMT",
      MONTHS[(d.month() as usize).saturating_sub(1) % 12],
      d.day(),
      d.hour(),
      d.minute(),
      d.second(),
      d.year()
    )
  };
  let v = serde_json::json!({
    "subject": name(cert.subject()),
    "issuer": name(cert.issuer()),
    "subjectaltname": alt.join(", "),
    "valid_from": when(&cert.validity().not_before),
    "valid_to": when(&cert.validity().not_after),
    "serialNumber": cert.tbs_certificate.raw_serial().iter().map(|b| format!("{b:02X}")).collect::<String>(),
    "fingerprint": hex(&sha1::Sha1::digest(der.as_ref())),
    "fingerprint256": hex(&sha2::Sha256::digest(der.as_ref())),
    "ca": cert.is_ca(),
    "raw": der.as_ref().iter().map(|b| format!("{b:02x}")).collect::<String>(),
  });
  Some(v.to_string())
}
