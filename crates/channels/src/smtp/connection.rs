//! The connections to the SMTP server: opened with TCP_NODELAY, protected
//! as the settings say, logged in, and kept between messages.

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Instant;

use lettre::transport::smtp::authentication::Mechanism;
#[allow(deprecated)]
use lettre::transport::smtp::client::AsyncNetworkStream;
use lettre::transport::smtp::client::{AsyncSmtpConnection, AsyncTokioStream};
use tokio::io::ReadBuf;
use tokio::net::TcpStream;

use super::{IDLE_FOR, IDLE_MAX, Security, Smtp, classify};
use crate::error::SendError;

impl Smtp {
    /// The most recently used idle connection that still answers, else a new one.
    pub(super) async fn connection(&self) -> Result<AsyncSmtpConnection, SendError> {
        while let Some(mut connection) = self.take_idle() {
            // The server may have hung up meanwhile; finding out costs a
            // NOOP but spares the message a failure (lettre's pool did so too).
            if connection.test_connected().await {
                return Ok(connection);
            }
        }
        self.connect().await
    }

    fn take_idle(&self) -> Option<AsyncSmtpConnection> {
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        idle.retain(|(_, since)| since.elapsed() < IDLE_FOR);
        idle.pop().map(|(connection, _)| connection)
    }

    /// Pools a connection after a successful exchange; after an error it is
    /// simply dropped instead, never put back.
    pub(super) fn put_back(&self, connection: AsyncSmtpConnection) {
        if connection.has_broken() {
            return;
        }
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < IDLE_MAX {
            idle.push((connection, Instant::now()));
        }
    }

    async fn connect(&self) -> Result<AsyncSmtpConnection, SendError> {
        let cannot = |e: &dyn fmt::Display| {
            SendError::Passing(format!(
                "cannot connect to the SMTP server at {}: {e}",
                self.where_
            ))
        };
        let tcp = tokio::time::timeout(
            self.timeout,
            TcpStream::connect((self.host.as_str(), self.port)),
        )
        .await
        .map_err(|_| cannot(&"timed out"))?
        .map_err(|e| cannot(&e))?;
        tcp.set_nodelay(true).map_err(|e| cannot(&e))?;

        let smtp = |e: lettre::transport::smtp::Error| classify(&e, false);
        let mut connection = match &self.security {
            Security::Tls(parameters) => {
                #[allow(deprecated)]
                let mut stream = AsyncNetworkStream::use_existing_tokio1(Box::new(tcp));
                stream.upgrade_tls(parameters.clone()).await.map_err(smtp)?;
                AsyncSmtpConnection::connect_with_transport(
                    Box::new(Encrypted(stream)),
                    &self.hello,
                )
                .await
            }
            Security::None | Security::Starttls(_) => {
                AsyncSmtpConnection::connect_with_transport(Box::new(tcp), &self.hello).await
            }
        }
        .map_err(smtp)?;
        if let Security::Starttls(parameters) = &self.security {
            if !connection.can_starttls() {
                return Err(SendError::Passing(format!(
                    "the SMTP server at {} does not offer STARTTLS, which the settings require",
                    self.where_
                )));
            }
            connection
                .starttls(parameters.clone(), &self.hello)
                .await
                .map_err(smtp)?;
        }
        if let Some(credentials) = &self.credentials {
            connection
                .auth(&[Mechanism::Plain, Mechanism::Login], credentials)
                .await
                .map_err(smtp)?;
        }
        Ok(connection)
    }
}

/// lettre reads the server's greeting as soon as it has a stream, so with
/// implicit TLS the handshake comes first, on lettre's own stream type; this
/// hands that stream to lettre as a plain Tokio one.
#[allow(deprecated)]
#[derive(Debug)]
struct Encrypted(AsyncNetworkStream);

impl tokio::io::AsyncRead for Encrypted {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let read = ready!(futures_io::AsyncRead::poll_read(
            Pin::new(&mut self.0),
            cx,
            buf.initialize_unfilled()
        ))?;
        buf.advance(read);
        Poll::Ready(Ok(()))
    }
}

impl tokio::io::AsyncWrite for Encrypted {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        futures_io::AsyncWrite::poll_write(Pin::new(&mut self.0), cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        futures_io::AsyncWrite::poll_flush(Pin::new(&mut self.0), cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        futures_io::AsyncWrite::poll_close(Pin::new(&mut self.0), cx)
    }
}

impl AsyncTokioStream for Encrypted {
    fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.0.peer_addr()
    }
}
