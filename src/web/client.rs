//! The address a request comes from, for the login limits: the peer of the connection, or,
//! when the peer is a configured trusted proxy, the address that proxy says it forwarded
//! (`Forwarded: for=`, else `X-Forwarded-For`). A header from anyone else is ignored, so that
//! nobody can choose the address they are counted under.

use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, request::Parts};

/// The client's address; `None` when the connection's peer is unknown (a request handed to
/// the router in process).
pub(super) fn client_address(parts: &Parts, trusted: &[IpAddr]) -> Option<IpAddr> {
    let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>()?.0.ip().to_canonical();
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    // Walk the chain from the nearest hop: the first address that is not one of our proxies
    // is the client; what lies before it the client may have written itself.
    let chain = forwarded_for(&parts.headers);
    chain.iter().rev().find(|a| !trusted.contains(a)).copied().or(Some(peer))
}

/// The addresses a request passed through, oldest first, from `Forwarded` (RFC 7239) or, when
/// that is absent, `X-Forwarded-For`. Unreadable entries (obfuscated names, `unknown`) end the
/// chain there: nothing before them can be trusted.
fn forwarded_for(headers: &HeaderMap) -> Vec<IpAddr> {
    let values = |name: &str| -> Vec<String> {
        headers.get_all(name).iter().filter_map(|v| v.to_str().ok()).map(str::to_string).collect()
    };
    let forwarded = values("forwarded");
    let entries: Vec<String> = if forwarded.is_empty() {
        values("x-forwarded-for").iter().flat_map(|v| v.split(',')).map(|e| e.trim().to_string()).collect()
    } else {
        forwarded
            .iter()
            .flat_map(|v| v.split(','))
            .map(|hop| {
                hop.split(';')
                    .filter_map(|pair| pair.trim().split_once('='))
                    .find(|(k, _)| k.trim().eq_ignore_ascii_case("for"))
                    .map_or(String::new(), |(_, v)| v.trim().trim_matches('"').to_string())
            })
            .collect()
    };
    let mut chain = Vec::new();
    for entry in entries {
        match parse_node(&entry) {
            Some(a) => chain.push(a),
            // Keep only what follows an unreadable hop.
            None => chain.clear(),
        }
    }
    chain
}

/// `1.2.3.4`, `1.2.3.4:5678`, `[2001:db8::1]:5678` or `2001:db8::1`.
fn parse_node(node: &str) -> Option<IpAddr> {
    if let Ok(a) = node.parse::<IpAddr>() {
        return Some(a.to_canonical());
    }
    if let Ok(a) = node.parse::<SocketAddr>() {
        return Some(a.ip().to_canonical());
    }
    node.strip_prefix('[').and_then(|n| n.strip_suffix(']')).and_then(|n| n.parse::<IpAddr>().ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request;

    fn parts(peer: &str, headers: &[(&'static str, &str)]) -> Parts {
        let mut req = Request::get("/").body(()).unwrap();
        for (k, v) in headers {
            req.headers_mut().append(*k, v.parse().unwrap());
        }
        req.extensions_mut().insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
        req.into_parts().0
    }

    fn ip(a: &str) -> Option<IpAddr> {
        Some(a.parse().unwrap())
    }

    #[test]
    fn forwarded_headers_count_only_from_a_trusted_proxy() {
        let proxy: Vec<IpAddr> = vec!["10.0.0.1".parse().unwrap()];
        let xff = [("x-forwarded-for", "203.0.113.7")];
        assert_eq!(client_address(&parts("198.51.100.9:1234", &xff), &proxy), ip("198.51.100.9"), "not our proxy");
        assert_eq!(client_address(&parts("10.0.0.1:1234", &xff), &proxy), ip("203.0.113.7"));
        assert_eq!(client_address(&parts("10.0.0.1:1234", &[]), &proxy), ip("10.0.0.1"), "no header: the proxy");
        assert_eq!(client_address(&parts("10.0.0.1:1234", &xff), &[]), ip("10.0.0.1"), "no proxy configured");
    }

    #[test]
    fn a_client_cannot_choose_its_address_by_writing_the_header_itself() {
        let proxy: Vec<IpAddr> = vec!["10.0.0.1".parse().unwrap()];
        let forged = [("x-forwarded-for", "1.1.1.1, 203.0.113.7")];
        assert_eq!(client_address(&parts("10.0.0.1:1", &forged), &proxy), ip("203.0.113.7"));
        let rfc = [("forwarded", "for=1.1.1.1, for=\"[2001:db8::7]:443\";proto=https")];
        assert_eq!(client_address(&parts("10.0.0.1:1", &rfc), &proxy), ip("2001:db8::7"));
        let unknown = [("x-forwarded-for", "1.1.1.1, unknown")];
        assert_eq!(client_address(&parts("10.0.0.1:1", &unknown), &proxy), ip("10.0.0.1"));
    }
}
