//! What the protocol test runner needs besides the client: a server on 127.0.0.1, the model's
//! shapes, and comparisons.

pub mod compare;
pub mod server;
pub mod shapes;
