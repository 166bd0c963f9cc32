//! The listener the binary serves on turns Nagle's algorithm off for every connection it
//! accepts (`make bench` shows what it costs when it does not: ~40 ms per streamed page).

use axum::serve::Listener;
use portico_server::startup::without_delay;
use tokio::net::{TcpListener, TcpStream};

#[tokio::test]
async fn accepted_connections_have_nagle_off() {
    let mut listener = without_delay(TcpListener::bind("127.0.0.1:0").await.unwrap());
    let address = listener.local_addr().unwrap();
    let _client = TcpStream::connect(address).await.unwrap();
    let (accepted, _) = listener.accept().await;
    assert!(accepted.nodelay().unwrap(), "TCP_NODELAY is set on the accepted connection");
}
