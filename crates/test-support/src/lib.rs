#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod browser;
mod fs;
mod http;
mod server;

pub use browser::Browser;
pub use fs::{copy_dir, copy_dir_except, copy_fixture};
pub use http::{Reply, get, send};
pub use server::{Request, Response, Served, Server, StaticServer, reply};
