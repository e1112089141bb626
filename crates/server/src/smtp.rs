//! Sending mail over SMTP for the test-send of email templates. Only plain
//! `smtp://` is supported: this build has no TLS library, so the server
//! should talk to a relay on the same host or a trusted network.

use std::time::Duration;

use gatehouse_core::emails::Rendered;
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// Sender used when the URL has no `from` parameter.
const DEFAULT_FROM: &str = "Gatehouse <gatehouse@localhost>";
/// How long one SMTP exchange may take before the send fails.
const TIMEOUT: Duration = Duration::from_secs(15);

/// The SMTP server and sender, parsed from `--smtp-url`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpTarget {
    pub host: String,
    pub port: u16,
    pub from: String,
}

/// Parses `smtp://host[:port][/][?from=address]`; the port defaults to 25.
pub fn parse_smtp_url(url: &str) -> Result<SmtpTarget, String> {
    let url = url.trim();
    let Some(rest) = url.strip_prefix("smtp://") else {
        if url.starts_with("smtps://") {
            return Err(format!(
                "`{url}` uses smtps://, but this build has no TLS support; \
                 use smtp:// to a relay on this host or a trusted network."
            ));
        }
        return Err(format!("`{url}` is not an SMTP URL; write it like smtp://127.0.0.1:2525."));
    };
    let (address, query) = rest.split_once('?').unwrap_or((rest, ""));
    let address = address.strip_suffix('/').unwrap_or(address);
    if address.contains('@') {
        return Err(format!(
            "`{url}` has a user name; SMTP authentication without TLS would send the password \
             in clear text, so it is not supported."
        ));
    }
    if address.contains('/') {
        return Err(format!("`{url}` has a path; an SMTP URL is smtp://host:port."));
    }
    let (host, port) = match address.rsplit_once(':') {
        Some((host, port)) => {
            let port = port.parse::<u16>().ok().filter(|port| *port > 0).ok_or_else(|| {
                format!("`{url}` has the port `{port}`; use a number from 1 to 65535.")
            })?;
            (host, port)
        }
        None => (address, 25),
    };
    if host.is_empty() {
        return Err(format!("`{url}` has no host; write it like smtp://127.0.0.1:2525."));
    }
    let mut from = DEFAULT_FROM.to_owned();
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        match pair.split_once('=') {
            Some(("from", value)) if !value.is_empty() => from = value.replace("%40", "@"),
            _ => {
                return Err(format!(
                    "`{url}` has the parameter `{pair}`; the only parameter is from=address."
                ))
            }
        }
    }
    from.parse::<Mailbox>()
        .map_err(|e| format!("`{url}` has an invalid from address `{from}`: {e}."))?;
    Ok(SmtpTarget { host: host.to_owned(), port, from })
}

/// Checks `--smtp-url` when the server starts; for clap's `value_parser`.
pub fn check_smtp_url(url: &str) -> Result<String, String> {
    parse_smtp_url(url).map(|_| url.trim().to_owned())
}

/// Sends a rendered email with a plain-text and an HTML alternative.
pub async fn send(target: &SmtpTarget, to: &str, email: &Rendered) -> Result<(), String> {
    let from: Mailbox = target.from.parse().map_err(|e| format!("invalid sender address: {e}"))?;
    let recipient: Mailbox =
        to.parse().map_err(|e| format!("invalid recipient address `{to}`: {e}"))?;
    let message = Message::builder()
        .from(from)
        .to(recipient)
        .subject(email.subject.clone())
        .multipart(MultiPart::alternative_plain_html(email.text.clone(), email.html.clone()))
        .map_err(|e| format!("building the message failed: {e}"))?;
    // Plain SMTP is deliberate: this build has no TLS library.
    let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(target.host.as_str())
        .port(target.port)
        .timeout(Some(TIMEOUT))
        .build();
    transport.send(message).await.map(|_| ()).map_err(|e| {
        format!(
            "the SMTP server at {}:{} did not accept the message: {e}",
            target.host, target.port
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_url_with_port_and_sender_parses() {
        let target = parse_smtp_url("smtp://127.0.0.1:2525/?from=noreply@example.com").unwrap();
        assert_eq!(
            target,
            SmtpTarget { host: "127.0.0.1".into(), port: 2525, from: "noreply@example.com".into() }
        );
        assert_eq!(parse_smtp_url("smtp://relay.example.com").unwrap().port, 25);
    }

    #[test]
    fn smtps_and_credentials_are_rejected_with_reason() {
        assert!(parse_smtp_url("smtps://relay.example.com")
            .unwrap_err()
            .contains("no TLS support"));
        assert!(parse_smtp_url("smtp://me:pw@relay.example.com")
            .unwrap_err()
            .contains("clear text"));
        assert!(parse_smtp_url("smtp://relay.example.com:0").unwrap_err().contains("1 to 65535"));
        assert!(parse_smtp_url("relay.example.com").unwrap_err().contains("not an SMTP URL"));
    }
}
