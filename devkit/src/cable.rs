//! A cable between the bot and a server that a test can cut: a TCP relay on 127.0.0.1 that
//! copies bytes both ways. Cut, it closes every connection and stops listening, so a client
//! finds the server unreachable (connection refused), as when the network to Telegram is down;
//! mended, it listens on the same port again.

use std::net::SocketAddr;
use std::sync::Mutex;

use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// A relay from its own address to `to`, until cut.
pub struct Cable {
    addr: SocketAddr,
    to: SocketAddr,
    relay: Mutex<Option<JoinHandle<()>>>,
}

impl Cable {
    /// A cable to `to`, connected.
    pub async fn to(to: SocketAddr) -> Cable {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a local port for the cable");
        let addr = listener.local_addr().expect("a bound address");
        Cable { addr, to, relay: Mutex::new(Some(tokio::spawn(relay(listener, to)))) }
    }

    /// The address to give the client, as a URL.
    pub fn url(&self) -> url::Url {
        url::Url::parse(&format!("http://{}", self.addr)).expect("a valid URL")
    }

    /// Closes every connection through the cable and refuses new ones.
    pub fn cut(&self) {
        if let Some(relay) = self.relay.lock().expect("the cable's lock").take() {
            // Aborting the relay drops its listener and, with its tasks, every connection.
            relay.abort();
        }
    }

    /// Listens on the same address again.
    pub async fn mend(&self) {
        let listener = loop {
            match TcpListener::bind(self.addr).await {
                Ok(l) => break l,
                // The aborted relay may still be letting go of the port.
                Err(_) => tokio::time::sleep(std::time::Duration::from_millis(20)).await,
            }
        };
        let running = tokio::spawn(relay(listener, self.to));
        *self.relay.lock().expect("the cable's lock") = Some(running);
    }
}

impl Drop for Cable {
    fn drop(&mut self) {
        self.cut();
    }
}

/// Accepts connections and copies each to `to`; dropped (aborted), it drops them all.
async fn relay(listener: TcpListener, to: SocketAddr) {
    let mut connections = tokio::task::JoinSet::new();
    loop {
        let Ok((mut client, _)) = listener.accept().await else { continue };
        connections.spawn(async move {
            if let Ok(mut server) = TcpStream::connect(to).await {
                let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
            }
        });
        // Finished connections are let go as new ones come.
        while connections.try_join_next().is_some() {}
    }
}
